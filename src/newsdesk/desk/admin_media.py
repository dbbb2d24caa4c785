"""The workspace's own stylesheet, on every desk page of the admin (``ModelAdmin.Media``).

Django's admin reads its look from CSS variables; the stylesheet sets the few that fall
short of WCAG AA contrast (the breadcrumb bar) and styles the workspace's additions.
It is a static file: the admin runs under a Content-Security-Policy that refuses inline
styles and scripts.
"""


class DeskMedia:
    css = {"all": ("desk/admin.css",)}
