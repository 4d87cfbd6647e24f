"""Choosing a project's companies by typing a name: the database holds thousands, a select of all would not do."""

from flask_admin.model.ajax import DEFAULT_PAGE_SIZE, AjaxModelLoader
from flask_login import current_user

from cms.security import permitted_query
from content_types import Company, MemberCity
from content_types.base import reference_id
from content_types.search import fold_for_search
from workflows.permissions import VIEW


class CompanyChooser(AjaxModelLoader):
    """Flask-Admin's type-ahead for one side of a project: that country's companies the editor may view."""

    def __init__(self, name: str, country: str):
        super().__init__(name, {})
        self.country = country

    def format(self, model):
        """Return (id, "name (city)") for the chooser's list and chosen entries."""
        if model is None or not isinstance(model, Company):
            return None
        city = MemberCity.objects(pk=reference_id(model._data.get("city"))).only("name_de").first()
        return str(model.pk), f"{model.title} ({city.name_de})" if city else model.title

    def get_one(self, pk):
        """Return the chosen company, if the editor may view it."""
        query = {"$and": [permitted_query(current_user, VIEW, [Company.type_name]), {"_id": pk}]}
        return Company.objects(__raw__=query).first()

    def get_list(self, term: str, offset: int = 0, limit: int = DEFAULT_PAGE_SIZE):
        """Return this side's companies whose folded name holds what was typed, by name."""
        query = {"$and": [permitted_query(current_user, VIEW, [Company.type_name]), {"country": self.country}]}
        companies = Company.objects(__raw__=query).order_by("title")
        folded = fold_for_search(term or "")
        if folded:
            companies = companies.filter(search_text__contains=folded)
        return list(companies.skip(offset).limit(limit))
