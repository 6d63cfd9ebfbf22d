"""Review levels: what each kind of review row means for a payment (OUTPUTS.md "Review levels").

暂缓拨付 — paying now could pay the wrong party or the wrong amount: the firm is left out of the
payment list and its letter is not among those ready to print. 需核实 — the award is computed and
payable, but a figure deserves a look. 仅告知 — nothing to do for any payment. A firm's 状态 is the
highest level among the rows naming it; 正常 when none does (or only 仅告知 rows).

Every category the program writes is declared here once, with its level and the one sentence
(处理建议) telling the clerk what to do.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVEL_HOLD, LEVEL_CHECK, LEVEL_INFO = "暂缓拨付", "需核实", "仅告知"
STATUS_OK = "正常"
LEVELS = (LEVEL_HOLD, LEVEL_CHECK, LEVEL_INFO)            # highest first
CLERK_COLUMNS = ["处理结果", "经办人", "处理日期"]          # left empty for the clerk


@dataclass(frozen=True)
class Level:
    level: str
    advice: str


CATEGORIES: dict[str, Level] = {
    # the payee or the amount is in doubt
    "缺少开户信息": Level(LEVEL_HOLD, "请联系企业补充开户银行和银行账号，补入企业申报汇总后重新运行。"),
    "银行账号有误": Level(LEVEL_HOLD, "请联系企业核实银行账号，在企业申报汇总中按文本格式更正后重新运行。"),
    "校验码错误": Level(LEVEL_HOLD, "请对照营业执照核实统一社会信用代码，更正后重新运行。"),
    "重复申报": Level(LEVEL_HOLD, "请与企业核实以哪一行为准，删除其余各行后重新运行。"),
    "名称不一致": Level(LEVEL_HOLD, "请对照营业执照核实企业名称，统一各表中的名称后重新运行。"),
    "重复行": Level(LEVEL_HOLD, "请核实该行是否为重复粘贴：是则删除；确为另一笔业务的，请向报送单位核实后补充区别信息。"),
    # computed and payable; a figure deserves a look
    "申报数超海关数": Level(LEVEL_CHECK, "已按海关数据计算；请核实企业申报数，企业如有异议，请其提供证明材料。"),
    "申报条件不符": Level(LEVEL_CHECK, "该项申报未达到奖励条件，未予计算；请核实后告知企业。"),
    "省级奖励条件不符": Level(LEVEL_CHECK, "省级已奖励，但海关数据未达到市级奖励条件，未予计算；请核实海关数据。"),
    "数据格式错误": Level(LEVEL_CHECK, "该行未计算；请对照原表更正该单元格后重新运行。"),
    "金额为负": Level(LEVEL_CHECK, "该行未计算；请核实金额，更正后重新运行。"),
    "合并单元格": Level(LEVEL_CHECK, "该行未计算；请取消合并单元格，逐行填写后重新运行。"),
    "未知奖励项目": Level(LEVEL_CHECK, "该行未计算；请核对奖励项目名称是否与政策参数文件一致，更正后重新运行。"),
    "未知规则编号": Level(LEVEL_CHECK, "该行未计算；请核对规则编号，更正后重新运行。"),
    "计量单位无法换算": Level(LEVEL_CHECK, "该行数量未计入；请核实计量单位，需要换算的，在政策参数文件的计量单位表中补充。"),
    "数量无法区分进出口": Level(LEVEL_CHECK, "该行未计算；请向报送单位取得分列进口、出口的数量后重新运行。"),
    "非全年累计": Level(LEVEL_CHECK, "该行未计算；请取得全年累计数据后重新运行。"),
    "贷款日期早于LPR表": Level(LEVEL_CHECK, "该笔贷款未计入贴息；请核实发放日，无误的，在LPR数据表中补充当时的利率。"),
    "企业名称含特殊字符": Level(LEVEL_CHECK, "请对照营业执照核实企业名称。"),
    "统一社会信用代码无效": Level(LEVEL_CHECK, "该行未计算；请对照营业执照更正统一社会信用代码后重新运行。"),
    "缺少统一社会信用代码": Level(LEVEL_CHECK, "该行未计算；请补充统一社会信用代码后重新运行。"),
    # nothing to do for a payment
    "非计算年度": Level(LEVEL_INFO, "不属于本次计算的年度，无需处理。"),
    "重复表头行": Level(LEVEL_INFO, "表中重复出现的表头行，已跳过，无需处理。"),
}
UNKNOWN = Level(LEVEL_CHECK, "请核实。")


def with_levels(review: pd.DataFrame) -> pd.DataFrame:
    """The review rows with 级别 first and 处理建议 after 说明, sorted by level (暂缓拨付 first, the
    order within a level kept)."""
    found = [CATEGORIES.get(c, UNKNOWN) for c in review["类别"]]
    out = review.copy()
    out.insert(0, "级别", pd.Series([f.level for f in found], index=review.index, dtype=object))
    out["处理建议"] = pd.Series([f.advice for f in found], index=review.index, dtype=object)
    rank = out["级别"].map({level: i for i, level in enumerate(LEVELS)})
    return out.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)


def firm_status(codes: pd.Series, review: pd.DataFrame) -> np.ndarray:
    """Each firm's 状态: the highest level among the review rows naming it, 正常 when there is none
    above 仅告知."""
    named = review[review["级别"] != LEVEL_INFO]
    rank = named["级别"].map({level: i for i, level in enumerate(LEVELS)})
    best = rank.groupby(named["统一社会信用代码"].astype(str)).min()
    found = best.reindex(codes.astype(str).to_numpy())
    return np.array([STATUS_OK if pd.isna(r) else LEVELS[int(r)] for r in found], dtype=object)
