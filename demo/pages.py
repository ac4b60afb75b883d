"""HTML templates of the demo portal: the site frame with its footer variants, lists, pagination and articles.

Templates return str; the generator encodes each page in its own encoding. Internal links are root-relative,
links to other sites carry the routes placeholders.
"""

from datetime import date, timedelta
from html import escape

from . import content as c
from .routes import EXTERNAL

NAV = (("首页", "/"), ("要闻动态", "/xwzx/"), ("政府信息公开", "/zwgk/"), ("政策文件", "/zcwj/"),
       ("政策解读", "/zcjd/"), ("通知公告", "/tzgg/"), ("部门动态", "/bmdt/"), ("办事服务", "/bsfw/"),
       ("互动交流", "/hdjl/"))

# Page encoding → (Python codec, declaration in <head>).
ENCODINGS = {
    "utf-8": ("utf-8", '<meta charset="utf-8">'),
    "utf-8-undeclared": ("utf-8", ""),
    "gbk": ("gbk", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
    "gb18030": ("gb18030", '<meta charset="gb18030">'),
}


def days_back(rng, latest: date, count: int, gap: tuple[int, int]) -> list[date]:
    """`count` publication dates, newest first, starting at `latest`, a random gap (in days) apart."""
    out = [latest]
    while len(out) < count:
        out.append(out[-1] - timedelta(days=rng.randint(*gap)))
    return out


def iso(day: date) -> str:
    return day.strftime("%Y-%m-%d")


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def footer(style: str) -> str:
    """The identity footer. Styles: fullwidth, halfwidth, spaced (spaces inside numbers),
    no_gongan (公安备案号 missing), homepage (网站标识码 written by JavaScript)."""
    colon = ":" if style in ("halfwidth", "no_gongan") else "："
    gap = " " if colon == ":" else "　"
    icp, gongan, phone = c.ICP, c.GONGAN, c.PHONE
    if style == "spaced":
        icp, gongan, phone = c.ICP_SPACED, c.GONGAN_SPACED, c.PHONE_SPACED
    code = f"网站标识码{colon}{c.SITE_CODE}"
    if style == "homepage":
        code = f"<script>document.write('{code}');</script>"
    gongan_link = ("" if style == "no_gongan" else
                   f'{gap}<a href="{EXTERNAL}/gongan/" target="_blank">'
                   f'<img src="/images/gaba.png" alt="公安备案" width="20" height="20">{gongan}</a>')
    return f"""<div class="footer">
<p><a href="/wzdt.html">网站地图</a> | <a href="/wzsm.html">网站声明</a> | <a href="/lxwm.html">联系我们</a></p>
<p>主办单位{colon}{c.SPONSOR}{gap}承办单位{colon}{c.OPERATOR}{gap}联系电话{colon}{phone}</p>
<p>{code}{gap}<a href="{EXTERNAL}/beian/" target="_blank">{icp}</a>{gongan_link}</p>
<p><a href="{EXTERNAL}/conac/" target="_blank"><img src="/images/dzjg.png" alt="党政机关" width="46" height="56"></a>{gap}{c.IPV6_CLAIM}</p>
</div>"""


def frame(*, title: str, main: str, encoding: str = "utf-8", footer_style: str = "fullwidth",
          head: str = "") -> str:
    """The shared site frame: top bar, header, navigation, main block, footer."""
    nav = "".join(f'<li><a href="{url}">{name}</a></li>' for name, url in NAV)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{ENCODINGS[encoding][1]}
<title>{escape(title)}</title>
{head}
<link rel="stylesheet" href="/css/common.css">
<script src="/js/common.js"></script>
</head>
<body>
<div class="topbar"><div class="w">今天是：<script>showDate();</script><span class="fr"><a href="javascript:void(0);">无障碍浏览</a> | <a href="/wzdt.html">网站地图</a></span></div></div>
<div class="header"><div class="w"><a href="/"><img src="/images/logo.png" alt="{c.SITE_NAME}" width="400" height="80"></a></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="w main">
{main}
</div>
{footer(footer_style)}
</body>
</html>
"""


def crumbs(trail: tuple[tuple[str, str], ...], last: str | None = None) -> str:
    """当前位置：首页 > column > … [> last]."""
    parts = ['<a href="/">首页</a>'] + [f'<a href="{url}">{name}</a>' for name, url in trail]
    if last:
        parts.append(last)
    return f'<div class="crumbs">当前位置：{" &gt; ".join(parts)}</div>'


def sidebar(title: str, entries: list[tuple[str, str]]) -> str:
    rows = "".join(f'<li><a href="{url}">{name}</a></li>' for name, url in entries)
    return f'<div class="side"><h3>{title}</h3><ul>{rows}</ul></div>'


def items(entries: list[tuple[str, str, date]], shape: str) -> str:
    """A list of dated items. Shapes: span (2026-11-02 after the title), bracket ([2026-11-02] before it),
    chinese (2026年11月02日)."""
    rows = []
    for title, url, day in entries:
        link = f'<a href="{url}" target="_blank" title="{escape(title)}">{escape(title)}</a>'
        if shape == "bracket":
            rows.append(f'<li><span class="date">[{iso(day)}]</span> {link}</li>')
        elif shape == "chinese":
            rows.append(f"<li>{link}<span>{chinese_date(day)}</span></li>")
        else:
            rows.append(f"<li>{link}<span>{iso(day)}</span></li>")
    return f'<ul class="list">{"".join(rows)}</ul>'


def list_url(base: str, index: int) -> str:
    return base if index == 0 else f"{base}index_{index}.html"


def pager(base: str, total: int, pages: int, current: int) -> str:
    """CMS pagination: 首页 上一页 1 2 … 下一页 尾页, links only where they lead somewhere else."""
    def link(index: int, text: str) -> str:
        return f'<a href="{list_url(base, index)}">{text}</a>'

    parts = [f"<span>共{total}条 第{current + 1}/{pages}页</span>"]
    parts += [link(0, "首页"), link(current - 1, "上一页")] if current > 0 else ["<span>首页</span>", "<span>上一页</span>"]
    parts += [f'<span class="cur">{i + 1}</span>' if i == current else link(i, str(i + 1)) for i in range(pages)]
    parts += ([link(current + 1, "下一页"), link(pages - 1, "尾页")] if current < pages - 1
              else ["<span>下一页</span>", "<span>尾页</span>"])
    return f'<div class="page">{" ".join(parts)}</div>'


def article_meta(*, column: str, title: str, published: str, source: str | None,
                 site: tuple[str, str, str] = (c.SITE_NAME, c.SITE_DOMAIN, c.SITE_CODE)) -> str:
    """The standard article meta tags (SiteName … ContentSource) of site (name, domain, 网站标识码); source None
    is a template that leaves ContentSource out."""
    site_name, domain, code = site
    tags = {"SiteName": site_name, "SiteDomain": domain, "SiteIDCode": code,
            "ColumnName": column, "ArticleTitle": title, "PubDate": published, "ContentSource": source}
    return "\n".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in tags.items()
                     if value is not None)


def disclosure_table(rows: list[tuple[str, str]]) -> str:
    """The 信息公开 metadata table (索引号, 发布机构, 成文日期, 发布日期 …), two pairs a row."""
    cells = [f"<th>{name}：</th><td>{escape(value)}</td>" for name, value in rows]
    lines = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
    return f'<table class="xxgk-meta">{lines}</table>'


def article(*, title: str, info: str, body: str, table: str = "", extra: str = "") -> str:
    """The main block of an article page (without breadcrumb)."""
    return f"""<div class="article">
{table}
<h1>{escape(title)}</h1>
<div class="info">{info} 【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(14)">小</a>】 <a href="javascript:window.print()">打印本页</a></div>
<div class="content" id="zoom">
{body}
</div>
{extra}
</div>"""


def paragraphs(texts: list[str]) -> str:
    return "\n".join(f"<p>{text}</p>" for text in texts)


SOFT_404_MAIN = """<div class="notfound">
<h2>您访问的页面不存在</h2>
<p>抱歉，您要访问的页面不存在或已被移除，请检查网址是否正确。</p>
<p><a href="/">返回首页</a></p>
</div>"""

DELETED_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>提示信息</title>
</head>
<body>
<div style="margin:120px auto;width:400px;text-align:center;border:1px solid #ccc;padding:30px">
<p>该信息已删除！</p>
<p><a href="/">返回首页</a></p>
</div>
</body>
</html>
"""
