"""URLs and DNS names with special behaviour, shared by the generator (which links to them) and the servers
(which answer them).

Generated HTML cannot know the servers' ports, so links to the external site and to the closed port carry the
placeholders below; the portal server replaces them in every HTML body it serves.
"""

from .content import SITE_DOMAIN as HOST
from .content import SUBSITE_DOMAIN

SUBSITE_HOST = SUBSITE_DOMAIN  # the department's sub-site, served by the portal server to this Host

SITE_DIR = "site"
SUBSITE_DIR = "subsite"  # served to requests for SUBSITE_HOST
MANIFEST_FILE = "manifest.json"
SOFT_404_FILE = "soft404.html"
SPIDER_HOME_FILE = "spider_home.html"  # the homepage the portal gives search-engine spiders (a cloaking site)
SPIDER_MARK = "Baiduspider"  # in the User-Agent of the requests that get it
EXTERNAL_DIR = "external"  # the external site's generated answers: the new-media accounts' mirrors (see media.py)
EXTERNAL_ROUTES_FILE = "routes.json"  # in EXTERNAL_DIR: path → {"status", "type", "file"}

EXTERNAL = "{{EXTERNAL}}"
CLOSED = "{{CLOSED}}"
GAMBLING = "{{GAMBLING}}"  # the gambling site of a hacked page's links: the external server by another host name

# The portal server.
REDIRECT_LOOP = {"/old/a.html": "/old/b.html", "/old/b.html": "/old/a.html"}
SERVER_ERROR_PREFIX = "/hdjl/zxft/"
STATIC_PREFIXES = ("/css/", "/js/", "/images/", "/uploads/")  # served by the web server itself: a real 404
APPLICATION_PREFIX = "/hdjl/"  # the 互动交流 application: a real 404
ATTACHMENT_EXTENSIONS = (".doc", ".docx", ".xls", ".xlsx", ".pdf", ".wps", ".ofd", ".zip", ".rar", ".et")
# Sections that fail on the portal's [::1] socket only: the connection is reset, or the answer is 503.
IPV6_RESET_PREFIX = "/hdjl/"
IPV6_UNAVAILABLE_PREFIX = "/bsfw/"

# The external site: path → page title. Query strings are ignored.
EXTERNAL_PAGES = {
    "/gov/": "中国政府网",
    "/yunnan/": "云南省人民政府",
    "/zwfw/": "国家政务服务平台",
    "/conac/": "党政机关网站标识",
    "/beian/": "ICP/IP地址/域名信息备案管理系统",
    "/gongan/": "全国互联网安全管理服务平台",
    "/check_web/errorInfo_querySiteInfo.action": "我为政府网站找错",
    "/casino/": "澳门百家乐娱乐城",  # answered under GAMBLING
}
CASINO_PATH = "/casino/"
# Besides these, the external site answers what the generator wrote to EXTERNAL_DIR: the local "RSSHub"'s feeds
# (/rsshub/…, one of them a 503) and an account's HTML archive (/archive/…).
# Pages whose server refuses HEAD but answers GET (a link checker must fall back to GET).
EXTERNAL_HEAD_STATUS = {"/zwfw/": 405, "/conac/": 403}

# The site's DNS names, answered by the demo's own DNS server: HOST on both stacks, the name servers on IPv4 only,
# SUBSITE_HOST on IPv4 only.
DOMAIN = HOST.removeprefix("www.")
NAME_SERVERS = (f"ns1.{DOMAIN}", f"ns2.{DOMAIN}")
