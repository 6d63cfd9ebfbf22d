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
    "缺少开户信息": Level(LEVEL_HOLD, "请联系企业补充开户银行和银行账号，补入企业申报汇总后重新测算。"),
    "银行账号有误": Level(LEVEL_HOLD, "请联系企业核实银行账号，在企业申报汇总中按文本格式更正后重新测算。"),
    "校验码错误": Level(LEVEL_HOLD, "请对照营业执照核实统一社会信用代码：填写有误的，更正后重新测算；与营业执照一致的，在“处理结果”中注明“已核实无误”，报负责人同意后拨付。"),
    "重复申报": Level(LEVEL_HOLD, "请与企业核实以哪一行为准，删除其余各行后重新测算。"),
    "名称不一致": Level(LEVEL_HOLD, "请对照营业执照核实企业名称，统一各表中的名称后重新测算。"),
    "重复行": Level(LEVEL_HOLD, "请核实是否为重复录入：是，删除该行；确为另一笔业务的，请向报送单位核实，在表中注明区别后重新测算。"),
    # computed and payable; a figure deserves a look
    "申报数超海关数": Level(LEVEL_CHECK, "已按海关数据计算；请核实企业申报数，企业如有异议，请其提供证明材料。"),
    "申报条件不符": Level(LEVEL_CHECK, "请核实申报材料；确不符合条件的，告知企业。"),
    "省级奖励条件不符": Level(LEVEL_CHECK, "请核实海关数据是否完整（如是否缺少部分月份或其他关区的数据）；确未达到条件的，市级奖励不予兑现。"),
    "数据格式错误": Level(LEVEL_CHECK, "请对照原表更正该单元格后重新测算。"),
    "金额为负": Level(LEVEL_CHECK, "请核实金额，更正后重新测算。"),
    "合并单元格": Level(LEVEL_CHECK, "请取消合并单元格，逐行填写后重新测算。"),
    "未知奖励项目": Level(LEVEL_CHECK, "请与省厅名单核对奖励项目名称，按“说明”中所列名称之一更正后重新测算。"),
    "未知规则编号": Level(LEVEL_CHECK, "请核对规则编号，更正后重新测算。"),
    "计量单位无法换算": Level(LEVEL_CHECK, "请核实计量单位；确需按该单位换算的，请联系技术人员补充换算关系后重新测算。"),
    "数量无法区分进出口": Level(LEVEL_CHECK, "请向报送单位取得分列进口、出口的数量后重新测算。"),
    "非全年累计": Level(LEVEL_CHECK, "请取得全年累计数据后重新测算。"),
    "贷款日期早于LPR表": Level(LEVEL_CHECK, "请核实贷款发放日；确无误的，请联系技术人员补充当时的1年期LPR后重新测算。"),
    "企业名称含特殊字符": Level(LEVEL_CHECK, "请对照营业执照核实企业名称。"),
    "统一社会信用代码无效": Level(LEVEL_CHECK, "请对照营业执照更正统一社会信用代码后重新测算。"),
    "缺少统一社会信用代码": Level(LEVEL_CHECK, "请补充统一社会信用代码后重新测算。"),
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
