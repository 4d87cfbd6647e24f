// The admin's rich-text editor: Tiptap (ProseMirror) over each <textarea data-rich-text>.
//
// Progressive enhancement: the textarea stays the form field. The server-side form, its validation,
// the stale-edit check and editing without JavaScript all keep working; the editor only hides the
// textarea and writes its HTML back into it whenever the text changes. Nothing here runs inline code
// or writes style attributes, so it works under the admin's Content-Security-Policy.
//
// The HTML it writes is what content_types/sanitize.py keeps unchanged: p, h2-h6, ul/ol/li, a (href
// and rel, in the sanitiser's order), strong, em, blockquote, table/tbody/tr/th/td (colspan/rowspan only
// where they are not 1). Toolbar labels come translated from the page (data-rich-text holds them as JSON).
import { Editor, Extension, wrappingInputRule } from "@tiptap/core";
import Link from "@tiptap/extension-link";
import { OrderedList } from "@tiptap/extension-list";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";

// content_types/sanitize.py paragraphs_from_text, the same rule: a body without markup is plain text
// typed earlier (or without JavaScript), paragraphs separated by blank lines.
const MARKUP = /<[a-zA-Z/!]/;

export function paragraphsFromText(text) {
  if (!text || MARKUP.test(text)) {
    return text || "";
  }
  return text
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block)
    .map((block) => "<p>" + escapeHtml(block).replace(/\n/g, "<br>") + "</p>")
    .join("");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// Links point at the web, at a mail address, or at a page of this site; nothing else (javascript:,
// data:, protocol-relative //host) becomes a link. The sanitiser checks again on the server.
const ALLOWED_HREF = /^(?:https?:\/\/[^\s/]+\S*|mailto:[^\s@]+@[^\s@]+|\/(?!\/)\S*)$/i;

export function allowedHref(href) {
  return ALLOWED_HREF.test(href || "");
}

export function normalisedHref(typed) {
  const text = (typed || "").trim();
  if (/^www\./i.test(text)) {
    return "https://" + text;
  }
  if (/^[^\s@/:]+@[^\s@/]+\.[^\s@/]+$/.test(text)) {
    return "mailto:" + text;
  }
  return text;
}

// The sanitiser writes a link as <a href="…" rel="noopener noreferrer">: the editor writes the same.
const SafeLink = Link.extend({
  renderHTML({ HTMLAttributes }) {
    const attributes = { href: allowedHref(HTMLAttributes.href) ? HTMLAttributes.href : null };
    if (HTMLAttributes.title) {
      attributes.title = HTMLAttributes.title;
    }
    attributes.rel = "noopener noreferrer";
    return ["a", attributes, 0];
  },
}).configure({
  openOnClick: false,
  autolink: true,
  linkOnPaste: true,
  defaultProtocol: "https",
  HTMLAttributes: { target: null, rel: null, class: null },
  isAllowedUri: (url) => allowedHref(url),
});

// A numbered list counts from 1: the sanitiser keeps no start or type attribute, so the editor writes none.
// Typing "1. " at the start of a paragraph begins one; "26. November", a German date, stays text.
const PlainOrderedList = OrderedList.extend({
  addAttributes() {
    return {
      start: { default: 1, parseHTML: () => 1, rendered: false },
      type: { default: null, parseHTML: () => null, rendered: false },
    };
  },
  addInputRules() {
    return [wrappingInputRule({ find: /^1\.\s$/, type: this.type, joinPredicate: () => false })];
  },
});

// A table is rows of cells, nothing else: no column widths, no alignment, no style attributes (which the
// CSP refuses and the sanitiser removes), so what the editor shows is what the page and the PDF show.
const PlainTable = Table.extend({
  renderHTML() {
    return ["table", ["tbody", 0]];
  },
}).configure({ resizable: false, View: null });

function spansOnly() {
  const { colspan, rowspan, colwidth } = this.parent();
  return { colspan, rowspan, colwidth: { ...colwidth, rendered: false } };
}

const PlainCell = TableCell.extend({ addAttributes: spansOnly });
const PlainHeader = TableHeader.extend({ addAttributes: spansOnly });

// What the toolbar offers: [name, icon (Font Awesome class) or short text, command, active?].
const TOGGLES = [
  ["paragraph", "fa-paragraph", (c) => c.setParagraph(), (e) => e.isActive("paragraph")],
  ["heading2", "H2", (c) => c.toggleHeading({ level: 2 }), (e) => e.isActive("heading", { level: 2 })],
  ["heading3", "H3", (c) => c.toggleHeading({ level: 3 }), (e) => e.isActive("heading", { level: 3 })],
  ["heading4", "H4", (c) => c.toggleHeading({ level: 4 }), (e) => e.isActive("heading", { level: 4 })],
  null,
  ["bold", "fa-bold", (c) => c.toggleBold(), (e) => e.isActive("bold")],
  ["italic", "fa-italic", (c) => c.toggleItalic(), (e) => e.isActive("italic")],
  null,
  ["bulletList", "fa-list-ul", (c) => c.toggleBulletList(), (e) => e.isActive("bulletList")],
  ["orderedList", "fa-list-ol", (c) => c.toggleOrderedList(), (e) => e.isActive("orderedList")],
  ["blockquote", "fa-quote-right", (c) => c.toggleBlockquote(), (e) => e.isActive("blockquote")],
  null,
  ["link", "fa-link", null, (e) => e.isActive("link")],
  ["unlink", "fa-chain-broken", (c) => c.extendMarkRange("link").unsetLink(), null],
  ["table", "fa-table", (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }), null],
  null,
  ["undo", "fa-undo", (c) => c.undo(), null],
  ["redo", "fa-repeat", (c) => c.redo(), null],
];

// Shown only while the cursor is in a table, with their names as text.
const TABLE_ACTIONS = [
  ["addRow", (c) => c.addRowAfter()],
  ["addColumn", (c) => c.addColumnAfter()],
  ["deleteRow", (c) => c.deleteRow()],
  ["deleteColumn", (c) => c.deleteColumn()],
  ["deleteTable", (c) => c.deleteTable()],
];

function element(tag, attributes, children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === true) {
      node.setAttribute(name, "");
    } else if (value !== null && value !== undefined && value !== false) {
      node.setAttribute(name, value);
    }
  });
  (children || []).forEach((child) => node.append(child));
  return node;
}

function toolButton(name, label, icon, pressed) {
  const content = icon.startsWith("fa-") ? [element("span", { class: "fa " + icon, "aria-hidden": "true" })] : [icon];
  return element(
    "button",
    {
      type: "button",
      class: "btn btn-sm btn-light rte-button",
      "data-action": name,
      "aria-label": label,
      title: label,
      "aria-pressed": pressed ? "false" : null,
      tabindex: "-1",
    },
    content,
  );
}

// A toolbar is one stop in the tab order; the arrow keys move within it (WAI-ARIA toolbar pattern).
function rovingFocus(toolbar) {
  const buttons = () => Array.from(toolbar.querySelectorAll("button")).filter((b) => b.offsetParent !== null);
  toolbar.addEventListener("keydown", (event) => {
    const all = buttons();
    const index = all.indexOf(document.activeElement);
    if (index < 0) {
      return;
    }
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: all.length - 1 }[event.key];
    if (next === undefined) {
      return;
    }
    event.preventDefault();
    const target = all[(next + all.length) % all.length];
    all.forEach((button) => button.setAttribute("tabindex", button === target ? "0" : "-1"));
    target.focus();
  });
  const first = buttons()[0];
  if (first) {
    first.setAttribute("tabindex", "0");
  }
}

function enhance(textarea) {
  const labels = JSON.parse(textarea.getAttribute("data-rich-text") || "{}");
  const label = (name) => labels[name] || name;
  const id = textarea.id || textarea.name;
  const fieldLabel = document.querySelector('label[for="' + id + '"]');
  if (fieldLabel && !fieldLabel.id) {
    fieldLabel.id = id + "-label";
  }

  const toolbar = element("div", { class: "rte-toolbar", role: "toolbar", "aria-label": label("toolbar"), "aria-controls": id + "-editor" });
  TOGGLES.forEach((entry) => {
    toolbar.append(entry ? toolButton(entry[0], label(entry[0]), entry[1], entry[3] && entry[0] !== "link") : element("span", { class: "rte-separator", "aria-hidden": "true" }));
  });
  const tableBar = element("div", { class: "rte-tablebar", role: "toolbar", "aria-label": label("tableToolbar"), hidden: true });
  TABLE_ACTIONS.forEach(([name]) => {
    tableBar.append(element("button", { type: "button", class: "btn btn-sm btn-light rte-button", "data-action": name, tabindex: "-1" }, [label(name)]));
  });

  const linkInput = element("input", { type: "text", inputmode: "url", class: "form-control form-control-sm", id: id + "-link", autocomplete: "off", spellcheck: "false" });
  const linkError = element("span", { class: "rte-link-error", role: "alert" });
  const linkPanel = element("div", { class: "rte-linkpanel", hidden: true }, [
    element("label", { for: id + "-link" }, [label("linkAddress")]),
    linkInput,
    element("button", { type: "button", class: "btn btn-sm btn-primary", "data-link": "apply" }, [label("applyLink")]),
    element("button", { type: "button", class: "btn btn-sm btn-light", "data-link": "cancel" }, [label("cancel")]),
    linkError,
  ]);

  const mount = element("div", { class: "rte-mount" });
  const wrapper = element("div", { class: "rte" + (textarea.classList.contains("is-invalid") ? " rte-invalid" : "") }, [toolbar, tableBar, linkPanel, mount]);
  textarea.after(wrapper);
  textarea.hidden = true;

  let editor;
  const openLinkPanel = () => {
    linkInput.value = editor.getAttributes("link").href || "";
    linkError.textContent = "";
    linkPanel.hidden = false;
    linkInput.focus();
    return true;
  };
  const closeLinkPanel = () => {
    linkPanel.hidden = true;
    editor.commands.focus();
  };
  const applyLink = () => {
    const href = normalisedHref(linkInput.value);
    if (!href) {
      editor.chain().focus().extendMarkRange("link").unsetLink().run();
      linkPanel.hidden = true;
      return;
    }
    if (!allowedHref(href)) {
      linkError.textContent = label("badLink");
      linkInput.focus();
      return;
    }
    const chain = editor.chain().focus();
    if (editor.state.selection.empty && !editor.isActive("link")) {
      // Nothing selected: the address becomes the link's text.
      chain.insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href } }] }).run();
    } else {
      chain.extendMarkRange("link").setLink({ href }).run();
    }
    linkPanel.hidden = true;
  };

  const Shortcuts = Extension.create({
    name: "allianceShortcuts",
    addKeyboardShortcuts() {
      return { "Mod-k": openLinkPanel };
    },
  });

  editor = new Editor({
    element: mount,
    // Our stylesheet (static/editor/editor.min.css) carries ProseMirror's rules; an injected <style>
    // element would need 'unsafe-inline'.
    injectCSS: false,
    content: paragraphsFromText(textarea.value),
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4, 5, 6] },
        link: false,
        orderedList: false,
        trailingNode: false,
      }),
      PlainOrderedList,
      SafeLink,
      PlainTable,
      TableRow,
      PlainHeader,
      PlainCell,
      Shortcuts,
    ],
    editorProps: { attributes: editorAttributes(id, fieldLabel, languageOf(textarea)) },
  });

  // The textarea is what the form posts: keep it in step with every change (and only then, so a
  // body the editor can't show exactly is not rewritten by merely opening and saving the form).
  editor.on("update", () => {
    textarea.value = editor.isEmpty ? "" : editor.getHTML();
  });

  const refresh = () => {
    toolbar.querySelectorAll("button[data-action]").forEach((button) => {
      const entry = TOGGLES.find((t) => t && t[0] === button.getAttribute("data-action"));
      const [name, , command, active] = entry;
      const enabled = name === "link" ? true : command(editor.can().chain().focus()).run();
      button.setAttribute("aria-disabled", enabled ? "false" : "true");
      if (button.hasAttribute("aria-pressed")) {
        button.setAttribute("aria-pressed", active(editor) ? "true" : "false");
      }
      if (name === "link") {
        button.classList.toggle("active", active(editor));
      }
    });
    tableBar.hidden = !editor.isActive("table");
    tableBar.querySelectorAll("button").forEach((button) => {
      const [, command] = TABLE_ACTIONS.find(([name]) => name === button.getAttribute("data-action"));
      button.setAttribute("aria-disabled", command(editor.can().chain().focus()).run() ? "false" : "true");
    });
  };
  editor.on("transaction", refresh);
  refresh();

  const run = (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || button.getAttribute("aria-disabled") === "true") {
      return;
    }
    const name = button.getAttribute("data-action");
    if (name === "link") {
      openLinkPanel();
      return;
    }
    const entry = TOGGLES.find((t) => t && t[0] === name) || TABLE_ACTIONS.find(([n]) => n === name);
    const command = entry.length === 2 ? entry[1] : entry[2];
    command(editor.chain().focus()).run();
  };
  // Keep the editor's selection when a button is pressed with the mouse.
  [toolbar, tableBar].forEach((bar) => {
    bar.addEventListener("mousedown", (event) => {
      if (event.target.closest("button")) {
        event.preventDefault();
      }
    });
    bar.addEventListener("click", run);
    rovingFocus(bar);
  });

  linkPanel.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-link]");
    if (button) {
      (button.getAttribute("data-link") === "apply" ? applyLink : closeLinkPanel)();
    }
  });
  linkInput.addEventListener("keydown", (event) => {
    // Enter would submit the whole admin form.
    if (event.key === "Enter") {
      event.preventDefault();
      applyLink();
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeLinkPanel();
    }
  });

  if (fieldLabel) {
    fieldLabel.addEventListener("click", (event) => {
      event.preventDefault();
      editor.commands.focus();
    });
  }
  // The text's language follows the form's language field (spell checking, screen readers).
  const language = textarea.form && textarea.form.elements.namedItem("language");
  if (language && language.addEventListener) {
    language.addEventListener("change", () => editor.view.dom.setAttribute("lang", language.value));
  }
  textarea.richTextEditor = editor;
  return editor;
}

function editorAttributes(id, fieldLabel, language) {
  const attributes = { id: id + "-editor", class: "rte-content", "aria-multiline": "true" };
  if (fieldLabel) {
    attributes["aria-labelledby"] = fieldLabel.id;
  }
  if (language) {
    attributes.lang = language;
  }
  return attributes;
}

function languageOf(textarea) {
  const language = textarea.form && textarea.form.elements.namedItem("language");
  return language && language.value;
}

function enhanceAll() {
  document.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", enhanceAll);
} else {
  enhanceAll();
}
