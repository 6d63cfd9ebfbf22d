"""The policy file: every number of the measures, each with its article and unit.

The shipped file for 2023 is ``jixi_batch/policies/2023.yaml``; ``--policy`` loads
another. Amounts in the file are in 元 and become integer fen here; rates are
percent text and become exact fractions.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .model import RuleInfo
from .money import percent, yuan_to_fen
from .policy_yaml import NotPlainData, load_plain_yaml

POLICY_DIR = Path(__file__).parent / "policies"
ARTICLE5_RULES_KEY = "article5"
REQUIRED_RULES = ["A1", "A2N", "A2P", "A3E", "A3S", "A3W", "A3C", "A4",
                  "A5I", "A5C", "A5X", "A5F", "A5G"]


class PolicyError(Exception):
    """The policy file is missing, unreadable or lacks a parameter (message in Chinese)."""


@dataclass
class Policy:
    """The loaded policy file with typed accessors."""

    data: dict
    path: Path

    @property
    def year(self) -> int:
        return int(self.data["policy"]["year"])

    @property
    def title(self) -> str:
        return self.data["policy"]["title"]

    def rule(self, rule_id: str) -> dict:
        return self.data["rules"][rule_id]

    def fen(self, rule_id: str, key: str) -> int:
        """A money parameter of a rule, in fen."""
        return yuan_to_fen(self.rule(rule_id)[key])

    def rate(self, rule_id: str, key: str = "rate") -> Fraction:
        """A percent parameter of a rule, as an exact fraction."""
        return percent(self.rule(rule_id)[key])

    def value(self, rule_id: str, key: str):
        return self.rule(rule_id)[key]

    @property
    def rule_order(self) -> list[str]:
        return list(self.data["rule_order"])

    @property
    def article5_rules(self) -> list[str]:
        return list(self.data[ARTICLE5_RULES_KEY]["rules"])

    @property
    def article5_cap_fen(self) -> int:
        return yuan_to_fen(self.data[ARTICLE5_RULES_KEY]["cap"])

    @property
    def fund_fen(self) -> int:
        return yuan_to_fen(self.data["policy"]["fund"]["amount"])

    @property
    def province_items(self) -> dict[str, str]:
        return dict(self.data["province_items"])

    def codes(self, key: str) -> list[str]:
        entry = self.data["codes"][key]
        return [str(v) for v in entry["values"]] if "values" in entry else [str(entry["value"])]

    @property
    def tonnes_per_unit(self) -> dict[str, Fraction]:
        return {str(k): Fraction(str(v)) for k, v in self.data["codes"]["quantity_units"].items()}

    def rules_info(self) -> list[RuleInfo]:
        return [RuleInfo(rule_id=r, name=self.rule(r)["name"],
                         article=article_label(self.rule(r)["article"]),
                         text=self.rule(r).get("text", ""))
                for r in self.rule_order]


def article_label(article: str) -> str:
    """'五（二）' -> '第五条第（二）项'; '三' -> '第三条'."""
    if "（" in article:
        head, item = article.split("（", 1)
        return f"第{head}条第（{item}项"
    return f"第{article}条"


def default_policy_path(year: int) -> Path:
    return POLICY_DIR / f"{year}.yaml"


def load_policy(path: Path) -> Policy:
    """Read and check a policy file; PolicyError with a Chinese message when unusable."""
    try:
        data = load_plain_yaml(Path(path))
    except FileNotFoundError:
        raise PolicyError(f"找不到政策参数文件：{path}") from None
    except OSError as exc:
        raise PolicyError(f"政策参数文件无法读取：{path}（{exc.__class__.__name__}）") from None
    except NotPlainData as exc:
        where = f"第 {exc.line} 行" if exc.line else ""
        raise PolicyError(f"政策参数文件“{Path(path).name}”{where}{exc.reason}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"政策参数文件格式不对：{path}")
    missing = [k for k in ("policy", "rules", "rule_order", "province_items", "codes", ARTICLE5_RULES_KEY)
               if k not in data]
    missing += [f"rules.{r}" for r in REQUIRED_RULES if r not in data.get("rules", {})]
    if missing:
        raise PolicyError(f"政策参数文件缺少参数：{path}：{'、'.join(missing)}")
    return Policy(data=data, path=Path(path))
