"""Plain readers of the site's source, shared by the gates, the commands and the hooks:
mkdocs.yml (`site_config`), the pages under docs/ (`site_pages`), Markdown tokens
with their lines (`markdown_tokens`), HTML inside Markdown (`html_scan`) and the
Mermaid diagrams (`diagram_sources`). None of them imports MkDocs."""
