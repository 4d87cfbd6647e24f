"""Sharing: local roles on one item, limited to roles the granter holds."""

from content_types import Content


def _share(api, granter, item, grantee, roles):
    return api.call(
        "PUT", f"/api/v1/content/{item.pk}/sharing", granter, json={"user_id": str(grantee.pk), "roles": roles}
    )


def test_an_editor_shares_a_draft_with_a_member(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    member = users["member"]
    assert api.call("GET", f"/api/v1/content/{item.pk}", member).status_code == 404
    response = _share(api, users["editor"], item, member, ["editor"])
    assert response.status_code == 200
    assert response.get_json()["sharing"] == [{"user_id": str(member.pk), "roles": ["editor"]}]
    assert api.call("GET", f"/api/v1/content/{item.pk}", member).status_code == 200
    assert _share(api, users["editor"], item, member, []).status_code == 200
    assert api.call("GET", f"/api/v1/content/{item.pk}", member).status_code == 404


def test_nobody_grants_a_role_they_do_not_hold(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    response = _share(api, users["editor"], item, users["member"], ["approver"])
    assert response.status_code == 403
    assert Content.objects.get(pk=item.pk).local_roles == []


def test_sharing_needs_modify_and_valid_input(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    assert _share(api, users["reviewer"], item, users["member"], ["reviewer"]).status_code == 403
    assert _share(api, users["editor"], item, users["member"], ["admin"]).status_code == 422
    assert _share(api, users["editor"], item, users["member"], "editor").status_code == 422
    bad_user = api.call(
        "PUT", f"/api/v1/content/{item.pk}/sharing", users["editor"], json={"user_id": "abc", "roles": ["editor"]}
    )
    assert bad_user.status_code == 422
    assert Content.objects.get(pk=item.pk).local_roles == []
