"""One assessment in progress: the profile's test outcomes as bit sets, and the decisions so far.

durable_rules decided every test; engine.decide.plan turned each item's criteria into closures
over two integers (tests passed, tests unknown). Here each item in force is decided from them,
and the trace (criterion results, facts read, gaps, citations) is built only when an explanation
is asked for. Decisions without a trace that come out the same for many profiles (no amount) are
shared: Decision is frozen.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from engine.facts.derived import REGISTRY
from engine.facts.kinds import UNDEFINED
from engine.facts.profile import Profile
from engine.rules.model import Text

from .amounts import ITEM_KEY, applied_cites, evaluate_amount
from .citations import amount_ref, citation_ref
from .compact import LETTER
from .decision import AmountResult, CriterionResult, Decision, FactRead
from .gaps import gap_for
from .logic import FAIL, ITEM_STATUS, PASS, UNKNOWN, item_outcome
from .plan import ItemPlan, LeafTemplate

if TYPE_CHECKING:
    from .engine import Engine

DayPlan = dict[str, tuple[Decision, ItemPlan | None]]  # item id -> (its static decision, plan)
NO_REFS: dict[str, str] = {}  # an item that reads no other item's outcome (never written to)
_READ_LIMIT = 50_000  # shared fact reads kept before the memo starts again


_SHAREABLE: dict[type, bool] = dict.fromkeys((bool, int, str, type(None)), True)


def _shareable(kind: type) -> bool:
    """Whether a read of a value of this type (without provenance) is one frozen object for
    every profile: equal values must be the same value in every output (not Decimal: 100 and
    100.0 are equal but print apart), and few enough to come back often (not dates: every firm
    has its own, and a memo of them would only grow the heap the collector walks). Enums are;
    learnt per type."""
    known = _SHAREABLE.get(kind)
    if known is None:
        known = _SHAREABLE[kind] = issubclass(kind, enum.Enum)
    return known


_PLAIN_READS: dict[tuple[str, type, Any], tuple[FactRead]] = {}


def _plain_read(name: str, value: Any) -> tuple[FactRead]:
    """(FactRead(name, value),), one object per name and value, and so is the tuple a criterion
    reading only it holds: both are frozen, so sharing them is safe, and every object an
    explanation does not allocate is one the garbage collector does not look at."""
    key = (name, type(value), value)
    single = _PLAIN_READS.get(key)
    if single is None:
        if len(_PLAIN_READS) > _READ_LIMIT:
            _PLAIN_READS.clear()
        single = _PLAIN_READS[key] = (FactRead(name, value),)
    return single


class AssessmentContext:
    """The state of one assessment: facts, test outcomes and the decisions made so far."""

    def __init__(self, engine: Engine, profile: Profile, day: dt.date, facts: dict[str, Any],
                 passed: int, unknown: int, plans: DayPlan, explain: bool = True) -> None:
        self.engine = engine
        self.profile = profile
        self.day = day
        self.facts = facts
        self.passed = passed
        self.unknown = unknown
        self.plans = plans
        self.explain = explain
        self.decided: dict[str, Decision] = {}
        self._reads: dict[str, tuple[FactRead]] = {}  # fact -> (its read,)

    def decide(self, item_id: str) -> Decision:
        decision = self.decided.get(item_id)
        if decision is None:
            decision = self.decided[item_id] = self._decide(item_id)
        return decision

    def _decide(self, item_id: str) -> Decision:
        static, plan = self.plans[item_id]
        if plan is None:
            return static  # not in force or not assessable: the same for every profile
        refs = {r: item_outcome(self.decide(r).status) for r in plan.refs} if plan.refs else NO_REFS
        status = self._status(plan, refs)
        item_status = ITEM_STATUS[status]
        if item_status == "eligible" and plan.item.conditions_published == "partial":
            item_status = "may_apply"
        missing = self._missing(plan, refs) if status == UNKNOWN else ()
        amount = self._amount(plan) if status != FAIL and plan.item.amount is not None else None
        if self.explain:
            hits = self._hits(plan) if status == FAIL else ()
            return self._decision(static, item_status, self._trace(plan, refs), plan.logic,
                                  missing, amount, self.engine.exclusion_reason(hits))
        # Without a trace the reason is left out, as it always was in decisions-only mode.
        if amount is not None:
            return self._decision(static, item_status, (), None, missing, amount, None)
        key = (item_id, self.day, item_status, missing)
        shared = self.engine.shared_decisions.get(key)
        if shared is None:
            shared = self._decision(static, item_status, (), None, missing, None, None)
            self.engine.share_decision(key, shared)
        return shared

    def _status(self, plan: ItemPlan, refs: dict[str, str]) -> str:
        """The criteria, the exclusions negated and the required items, combined with `all`."""
        passed, unknown = self.passed, self.unknown
        status = plan.tree(passed, unknown, refs)
        if status == FAIL:
            return FAIL
        for exclusion in plan.exclusions:
            result = exclusion(passed, unknown, refs)
            if result == PASS:
                return FAIL
            if result == UNKNOWN:
                status = UNKNOWN
        for required in plan.requires:
            result = refs[required]
            if result == FAIL:
                return FAIL
            if result == UNKNOWN:
                status = UNKNOWN
        return status

    @staticmethod
    def _decision(static: Decision, status: str, criteria: tuple[CriterionResult, ...],
                  logic: Any, missing: tuple[str, ...], amount: AmountResult | None,
                  reason: Text | None) -> Decision:
        return Decision(
            item_id=static.item_id, program=static.program, title=static.title,
            version=static.version, valid_from=static.valid_from, valid_to=static.valid_to,
            status=status, source=static.source, evidence=static.evidence,
            budget_line_wan=static.budget_line_wan, criteria=criteria, logic=logic,
            missing=missing, amount=amount, reason=reason, notes=static.notes)

    def _hits(self, plan: ItemPlan) -> tuple[str, ...]:
        """The exclusion conditions with a leaf that passed (what a failed item's reason names)."""
        passed = self.passed
        return tuple(sorted({name for name, bits in plan.exclusion_hits if passed & bits}))

    def _missing(self, plan: ItemPlan, refs: dict[str, str]) -> tuple[str, ...]:
        """The profile fields to supply: inputs of the unknown leaves that decide the item."""
        missing: list[str] = []
        profile = self.profile
        for entry in self.engine.open_entries(plan, self.passed, self.unknown, refs):
            names = self.decided[entry].missing if isinstance(entry, str) else entry
            missing += [f for f in names
                        if getattr(profile, f, None) is None and f not in missing]
        return tuple(missing)

    def outcome_codes(self) -> dict[str, str]:
        """Per item decided from criteria: its criterion outcomes, one letter each in the order
        the trace lists them (engine.decide.compact), read from the bit sets without a trace."""
        codes: dict[str, str] = {}
        passed, unknown = self.passed, self.unknown
        for item_id in self.decided:
            plan = self.plans[item_id][1]
            if plan is None:
                codes[item_id] = ""  # no criteria: decided without looking at the profile
                continue
            refs = {r: item_outcome(self.decided[r].status) for r in plan.refs}
            letters = []
            for template in plan.templates:
                if type(template) is LeafTemplate:
                    bit = template.bit
                    letters.append("p" if passed & bit else "u" if unknown & bit else "f")
                else:
                    letters.append(LETTER[refs[template.node.item]])  # type: ignore[union-attr]
            letters += [LETTER[refs[r]] for r in plan.requires]
            codes[item_id] = "".join(letters)
        return codes

    # --- the trace, built only for explanations --------------------------------------------
    def _trace(self, plan: ItemPlan, refs: dict[str, str]) -> tuple[CriterionResult, ...]:
        """Every criterion's result in trace order: a leaf's from its template (what does not
        depend on the profile is laid out there), an `item:` criterion's and each required
        item's from the outcomes decided first."""
        passed, unknown, read, single = self.passed, self.unknown, self._read, self._single
        out: list[CriterionResult] = []
        for template in plan.templates:
            if type(template) is LeafTemplate:
                bit = template.bit
                gap = None
                if passed & bit:
                    status = PASS
                elif unknown & bit:
                    status = UNKNOWN
                else:
                    status = FAIL
                    if template.gaps:
                        gap = gap_for(template.leaf, self.facts, self.profile, self.day)
                citation = template.citation
                if template.zero_citation is not None and self.facts.get(
                        template.fact) is UNDEFINED:
                    citation = template.zero_citation
                names = template.reads
                # Not tuple(map(...)): that allocates and resizes where a literal tuple comes
                # from CPython's free list, and the collector ran half as often again.
                reads = single(names[0]) if len(names) == 1 else tuple([read(n) for n in names])
                out.append(CriterionResult(
                    template.id, template.text, status, template.fact, template.op,
                    template.value, template.ref, reads, citation, gap, template.role,
                    template.group, template.cleared))
            else:
                node = template.node  # type: ignore[union-attr]
                out.append(CriterionResult(
                    node.id, node.text, refs[node.item], node.item, "==", "eligible", None, (),
                    template.citation, None, "requirement", node.item, template.cleared))
        if plan.requires:
            out += self._required(plan, refs)
        return tuple(out)

    def _required(self, plan: ItemPlan, refs: dict[str, str]) -> list[CriterionResult]:
        """The `requires` of an item as criteria (role requirement), after its own."""
        out = []
        for required in plan.requires:
            title = self.decided[required].title
            out.append(CriterionResult(
                f"requires.{required}", Text(zh=f"须符合：{title.zh}", en=f"Requires: {title.en}"),
                refs[required], required, "==", "eligible", None, (),
                citation_ref(None, plan.item.source), None, "requirement", required))
        return out

    def _read(self, name: str) -> FactRead:
        """The fact as read, with its provenance (one object per fact per assessment)."""
        return self._single(name)[0]

    def _single(self, name: str) -> tuple[FactRead]:
        """(the fact as read,): what a criterion reading one fact holds as its reads."""
        single = self._reads.get(name)
        if single is None:
            single = self._reads[name] = self._new_read(name)
        return single

    def _new_read(self, name: str) -> tuple[FactRead]:
        value = self.facts.get(name)
        provenance = self.profile.provenance
        prov = provenance.get(name) if provenance else None
        if name in REGISTRY:
            quantity = REGISTRY[name]
            inputs = tuple(self._read(n) for n in quantity.inputs + quantity.optional)
        elif prov is None and _shareable(type(value)):
            return _plain_read(name, value)
        else:
            inputs = ()
        return (FactRead(name, value, prov.source.value if prov else None,
                         prov.date if prov else None, inputs),)

    # --- amounts ---------------------------------------------------------------------------
    def _amount(self, plan: ItemPlan) -> AmountResult:
        """The amount in Decimal yuan, from the facts it reads and the cases durable_rules
        decided; the same inputs give the same (frozen) result, so it is memoised. Without an
        explanation its steps are left unworded (none): the figure, the ceiling flag and the
        citation are the same."""
        facts = self.facts
        inputs = {n: facts[n] for n in plan.amount_facts if n in facts}
        for required in plan.amount_refs:
            inputs[ITEM_KEY + required] = item_outcome(self.decide(required).status)
        passed, unknown = self.passed, self.unknown
        for key, bit in plan.amount_whens:
            inputs[key] = PASS if passed & bit else UNKNOWN if unknown & bit else FAIL
        # repr: 1E+2 and 100 print apart; without an explanation the steps are not worded
        memo_key = (id(plan), self.explain, repr(tuple(inputs.items())))
        result = self.engine.amounts.get(memo_key)
        if result is None:
            amount = plan.item.amount
            value, ceiling, steps = evaluate_amount(amount, inputs, worded=self.explain)
            result = AmountResult(value, ceiling, tuple(steps),
                                  amount_ref(applied_cites(amount, inputs), plan.item.source))
            self.engine.share_amount(memo_key, result)
        return result
