"""Field labels of a page (SVC-1: the elements a 办事指南 shows).

REAL_GUIDE is the markup of a real 办事指南 template of 深圳市龙岗区住房与建设局行政服务大厅: repository
tangtaocode/tangtao.code, path risenetNewHall/WebRoot/WEB-INF/page/govpublic/appItemWebSiteGuideInfo.jsp, commit
25db764a1695453cc12a5e6815ea96dd554b447b. Cut down: the JSP directives, the style block, the commented-out rows
and the window-list table's map and iterator parts were removed, and rows 证件名称及有效期限 … 申请表格 were
kept by their label cells only; the Struts tags (<s:property …/>) that fill the values are left as written.
REAL_LICENCE is the markup of a real licence-detail page of 苏州工业园区综合行政执法局 (危化品经营许可证详情):
repository bttkkrt/scysuper, path WebRoot/WEB-INF/zwtPage/whpxzxk/Whpjyxkz_Content.jsp, commit
e706d287700ff11d289c16f118ce7e47f7f9b154; cut down to its first three rows and one attachment row, the header, navigation
and footer removed, the JSP tags that fill the values left as written, mixed tab/space indentation made tabs. Every other page here is synthetic.
"""

from __future__ import annotations

from govmon.facts.document import Document
from govmon.facts.labels import MAX_LABEL_CHARS, MAX_LABELS, field_labels_of, normalise_label

URL = "https://www.example.gov.cn/bszn/1.html"

REAL_GUIDE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
	<head>
		<title>深圳市龙岗区住房与建设局行政服务大厅--办事指南</title>
		<meta http-equiv="keywords" content="办事指南,服务大厅" />
		<meta http-equiv="description" content="办事指南" />
		<link href="/css/main.css" type="text/css" rel="stylesheet" />
	</head>
	<body>
<div class="content" style="width:80%;">
	<table width="100%" border="0" align="center" cellpadding="0" cellspacing="1" bgcolor="#1DB7F4">
		<tbody>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center" class="STYLE7">事项名称</div>
				</td>
				<td bgcolor="#F7FBFE" width="80%">
					<div class="STYLE4"><s:property value="approveItem.approveitemname" />&nbsp;</div>
				</td>
			</tr>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">办理对象</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div>
						<s:property value="approveItem.itemProvince.serviceobject" />
					</div>
				</td>
			</tr>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">法律依据</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div>
						<s:property value="approveItem.approveitembasis"  escape="false" />
					</div>
				</td>
			</tr>
			<!--
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">网上申报流程</div>
				</td>
			</tr>
			-->
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">办理条件</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div >
						<s:property value="approveItem.declarecondition" escape="false"/>
					</div>
				</td>
			</tr>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">申请材料</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div class="STYLE4">
						<s:property value="approveItem.materialStr" escape="false"/>
					</div>
				</td>
			</tr>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">办理时限</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div>
							法定时限：申请材料齐全、符合法定形式之日起
							<s:property value="approveItem.timelimit" />
							个工作日内<br/>
							承诺时限：申请材料齐全、符合法定形式之日起
							<s:property value="approveItem.promiselimittime" />
							个工作日内<br/>
					</div>
				</td>
			</tr>
				<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">事项收费</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div>
						<s:property value="approveItem.chargeinfo" escape="false"/>
					</div>
				</td>
			</tr>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">申请受理机关</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div>
						<s:property value="approveItem.acceptjiguan" />
					</div>
				</td>
			</tr>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">窗口办理</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div >
							<table cellspacing="0px" cellpadding="0px" border="0px" width="100%">
								<tr>
									<td width="80" align="right" nowrap="nowrap" valign="top">工作时间：</td>
									<td width="800px" align="left" valign="top">
									<s:property value="officehours"/>
									</td>
								</tr>
								<tr>
									<td width="80" align="right" nowrap="nowrap" valign="top">窗口地址：</td>
									<td width="800px" align="left" valign="top">
									<s:property value="address"/>
									</td>
								</tr>
								<tr>
									<td width="80" align="right" nowrap="nowrap" valign="top">联系电话：</td>
									<td width="800px" align="left" valign="top">
									<s:property value="phone"/>
									</td>
								</tr>
							</table>
				</div>
				</td>
			</tr>
			<tr>
				<td height="30" bgcolor="#DAECFA" width="20%">
					<div align="center">事项程序</div>
				</td>
				<td bgcolor="#F7FBFE">
					<div>
						<s:property value="approveItem.itemProvince.powerworkflow" escape="false"/>
					</div>
				</td>
			</tr>
		</tbody>
	</table>
</div>
	</body>
</html>
"""

REAL_LICENCE = """<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>苏州工业园区综合行政执法局</title>
</head>
<body>
<div class="main">
	<div class="location"><p>您现在的位置：<a href="${ctx}/wzxx/index.action">首页</a>&gt;<a href="${ctx}/wzxx/whpjyxkzList.action">危化品经营许可证查询</a>&gt;<a href="#">危化品经营许可证详情</a></p></div>
    <div class="newscon">
            <div class="cell">
				<table width="90%" style="border:solid #add9c0; border-width:1px 0px 0px 1px">
						<tr>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;width:15%">所在区域：</td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;"><cus:hxlabel codeName="企业属地" itemValue="${cheManLic.areaId}" /></td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;width:15%">企业名称：</td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;">${cheManLic.companyName}</td>
						</tr>
						<tr>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;width:15%">经营方式：</td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;"><cus:hxlabel codeName="危险化学品经营方式" itemValue="${cheManLic.operateWay}" /></td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;width:15%">经营类型：</td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;"><cus:hxlabel codeName="危险化学品经营类型" itemValue="${cheManLic.operateType}" /></td>
						</tr>
						<tr>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;width:15%">材料接收日期：</td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;"><fmt:formatDate type="date" value="${cheManLic.receiveDate}" pattern="yyyy-MM-dd"/></td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;width:15%">受理材料日期：</td>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;"><fmt:formatDate type="date" value="${cheManLic.dealDate}" pattern="yyyy-MM-dd"/></td>
						</tr>
						<tr>
							<td style="border:solid #add9c0; border-width:0px 1px 1px 0px;width:15%">带有存储设施经营危险化学品企业（包括加油站），应提供具有法定资质的安全评价机构出具的安全评价报告及安全评价报告备案证明：</td>
							<td colspan="3" style="border:solid #add9c0; border-width:0px 1px 1px 0px;">
							</td>
						</tr>
				</table>
			</div>
      </div>
</div>
</body>
</html>
"""


def labels(body: str) -> list[str]:
    return field_labels_of(Document(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>", URL))


def test_the_real_guide_shows_its_label_column() -> None:
    found = field_labels_of(Document(REAL_GUIDE, URL))

    assert found[:9] == ["事项名称", "办理对象", "法律依据", "办理条件", "申请材料", "办理时限", "事项收费",
                         "申请受理机关", "窗口办理"]
    assert {"工作时间", "窗口地址", "联系电话", "事项程序", "法定时限", "承诺时限"} <= set(found)
    assert "网上申报流程" not in found  # commented out: not shown


def test_labels_in_the_third_cell_of_four_cell_rows_are_read() -> None:
    """The licence page pairs two fields per row; the second label is read as the "名称：" its cell opens with."""
    found = field_labels_of(Document(REAL_LICENCE, URL))

    assert found[:3] == ["所在区域", "经营方式", "材料接收日期"]  # first cells, in document order
    assert {"企业名称", "经营类型", "受理材料日期"} <= set(found)
    assert not [label for label in found if label.startswith("带有存储设施")]  # longer than a label


def test_labels_are_normalised() -> None:
    assert normalise_label(" 一、申请条件： ") == "申请条件"
    assert normalise_label("（二）办理　材料") == "办理材料"
    assert normalise_label("1.办理时间:") == "办理时间"
    assert normalise_label("【办理地点】") == "办理地点"
    assert normalise_label("*联系电话：") == "联系电话"
    assert normalise_label("第三条 收费标准") == "收费标准"


def test_label_sources() -> None:
    body = (
        "<h3>办事指南</h3><h2>这是一个很长很长的标题说明文字超过了二十个字的长度限制啊</h2>"
        "<table><tr><th>事项名称</th><th>实施机构</th></tr><tr><td>1</td><td>某事项</td></tr>"
        "<tr><td>（一）设定依据</td><td>《中华人民共和国行政许可法》第十二条</td></tr>"
        "<tr><td colspan='2'>单独一格不是标签</td></tr></table>"
        "<dl><dt>收费标准</dt><dd>不收费</dd></dl>"
        "<p><strong>办理流程：</strong>受理、审查、决定</p><p><span>不以冒号结尾</span></p>"
        "<label>咨询电话:</label>"
        "<p>办理地点：某市政务服务中心二楼</p><p>受理时间：工作日 9:00-17:00</p>"
        "<p>http://www.example.gov.cn/ 不是标签</p>"
        "<script>var label = '<th>脚本</th>';</script><style>th{}</style>"
    )
    assert labels(body) == [
        "办事指南", "事项名称", "实施机构", "设定依据", "收费标准", "办理流程", "咨询电话", "办理地点", "受理时间",
    ]


def test_labels_are_deduplicated_length_limited_and_capped() -> None:
    rows = "".join(f"<tr><th>字段{n}</th><td>值</td></tr>" for n in range(MAX_LABELS + 10))
    long_label = "长" * (MAX_LABEL_CHARS + 1)
    found = labels(f"<table><tr><th>办理材料</th></tr><tr><th>办理材料：</th></tr><tr><th>{long_label}</th></tr>"
                   f"{rows}</table>")

    assert found[0] == "办理材料" and found.count("办理材料") == 1
    assert long_label not in found
    assert len(found) == MAX_LABELS
