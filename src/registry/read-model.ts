// The registry at one time, as the audit rules see it: a snapshot, a time, and the helpers rules share.
import { LIVE_INITIATIVE_STATUSES, type PersonStatus } from '../../db/schema.js'
import { resolveDecider } from './resolver.js'
import { holdingAt, type Snapshot } from './snapshot.js'
import type {
  AssignmentRecord, DeciderAnswer, DecisionRecord, DelegationRecord, DomainRecord, InfluenceRecord, InitiativeRecord,
  PersonRecord, RaciRoleName, Target, ViaStep
} from './types.js'

/** A decision that undoes a call made under authority its maker had transferred away (see ReadModel.reversedTransfer). */
export interface ReversedTransfer {
  /** The call undone: made by whoever the transfer handed the decision to. */
  superseded: DecisionRecord
  /** The transfer from the reversal's maker that the superseded call's decider held the authority through. */
  transfer: ViaStep & { kind: 'delegation' }
}

/** One holder of a role on an initiative: held on the initiative itself, or inherited from a domain of its chain. */
export interface RoleHolder {
  personId: string
  assignment: AssignmentRecord
  source: 'direct' | 'inherited'
  /** The domain the role is held on; null when direct. */
  domainId: string | null
}

export type Raci = Record<RaciRoleName, RoleHolder[]>

/** A chain of domains deeper than this is treated as a loop (the domains service refuses loops anyway). */
const MAX_DEPTH = 1000

function groupBy<T> (rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const group = groups.get(keyOf(row))
    if (group === undefined) groups.set(keyOf(row), [row])
    else group.push(row)
  }
  return groups
}

// Ids compare as code units, as SQLite's BINARY collation orders them.
const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : Number(a.id > b.id)

/**
 * Immutable: everything is answered for `at` from a snapshot that never changes. Answers that several rules ask
 * for are computed once, on first use; no database, no clock, no I/O.
 */
export class ReadModel {
  readonly #chains = new Map<string, readonly string[]>()
  readonly #deciders = new Map<string, DeciderAnswer>()
  readonly #domainHolders: Record<RaciRoleName, Map<string, readonly AssignmentRecord[]>> = { R: new Map(), A: new Map(), C: new Map(), I: new Map() }
  readonly #statuses = new Map<string, PersonStatus>()
  readonly #managers = new Map<string, readonly string[]>()
  #live?: readonly InitiativeRecord[]
  #assignments?: readonly AssignmentRecord[]
  #delegations?: readonly DelegationRecord[]
  #influences?: readonly InfluenceRecord[]
  #loads?: ReadonlyMap<string, readonly string[]>
  #children?: ReadonlyMap<string, readonly string[]>
  #decisionsById?: ReadonlyMap<string, DecisionRecord>

  constructor (readonly snapshot: Snapshot, readonly at: string) {}

  /** Every person on record, whatever their status. */
  people (): readonly PersonRecord[] { return this.snapshot.people }
  person (id: string): PersonRecord | undefined { return this.snapshot.person(id) }
  domain (id: string): DomainRecord | undefined { return this.snapshot.domain(id) }
  initiative (id: string): InitiativeRecord | undefined { return this.snapshot.initiative(id) }

  /** For messages: the person's name, or the id of a dangling reference. */
  nameOf (personId: string): string { return this.person(personId)?.name ?? personId }
  /** For messages: `"title"` of an initiative, or its id. */
  titleOf (initiativeId: string): string { return `"${this.initiative(initiativeId)?.title ?? initiativeId}"` }
  /** For messages: `domain "name"`, or its id. */
  domainLabel (domainId: string): string { return `domain "${this.domain(domainId)?.name ?? domainId}"` }

  /** The person's status at `at` (from their status timeline). */
  statusOf (personId: string): PersonStatus {
    let status = this.#statuses.get(personId)
    if (status === undefined) this.#statuses.set(personId, status = this.snapshot.statusAt(personId, this.at))
    return status
  }

  isLive (initiative: InitiativeRecord): boolean { return LIVE_INITIATIVE_STATUSES.has(initiative.status) }
  /** The initiative if it exists and is live. */
  liveInitiative (id: string): InitiativeRecord | undefined {
    const initiative = this.initiative(id)
    return initiative !== undefined && this.isLive(initiative) ? initiative : undefined
  }

  /** Initiatives proposed, active or on hold, in id order. */
  liveInitiatives (): readonly InitiativeRecord[] {
    return this.#live ??= this.snapshot.initiatives.filter((i) => this.isLive(i)).sort(byId)
  }

  /** The domain and its ancestors, nearest first; a walk that comes back on itself stops before the repeat. */
  domainChain (domainId: string | null): readonly string[] {
    if (domainId === null) return []
    let chain = this.#chains.get(domainId)
    if (chain === undefined) {
      const ids = [domainId]
      for (let parent = this.domain(domainId)?.parentId ?? null; parent !== null && ids.length < MAX_DEPTH && !ids.includes(parent);
        parent = this.domain(parent)?.parentId ?? null) ids.push(parent)
      this.#chains.set(domainId, chain = ids)
    }
    return chain
  }

  /** The domain chain of the initiative: its domain and that domain's ancestors, nearest first. */
  chainOf (initiativeId: string): readonly string[] { return this.domainChain(this.initiative(initiativeId)?.domainId ?? null) }

  /** The domain and every domain below it, loop-safe. */
  domainSubtree (domainId: string): ReadonlySet<string> {
    const children = this.#children ??= this.#childIndex()
    const subtree = new Set([domainId])
    for (const id of subtree) for (const child of children.get(id) ?? []) subtree.add(child)
    return subtree
  }

  /** Who decides the initiative: at the model's time (computed once per initiative), or at another time. */
  decider (initiativeId: string, at = this.at): DeciderAnswer {
    const target: Target = { kind: 'initiative', id: initiativeId }
    if (at !== this.at) return resolveDecider(this.snapshot, target, at)
    let answer = this.#deciders.get(initiativeId)
    if (answer === undefined) this.#deciders.set(initiativeId, answer = resolveDecider(this.snapshot, target, at))
    return answer
  }

  /** Holders of a role valid at `at` on the initiative itself, then on each domain of its chain outwards. */
  holders (initiativeId: string, role: RaciRoleName): RoleHolder[] {
    const direct = this.snapshot.holders({ kind: 'initiative', id: initiativeId }, role, this.at)
    const holders: RoleHolder[] = direct.map((assignment) => ({ personId: assignment.personId, assignment, source: 'direct', domainId: null }))
    for (const domainId of this.chainOf(initiativeId)) {
      for (const assignment of this.#onDomain(domainId, role)) holders.push({ personId: assignment.personId, assignment, source: 'inherited', domainId })
    }
    return holders
  }

  /** The whole RACI of the initiative at `at`, direct and inherited. */
  raci (initiativeId: string): Raci {
    return { R: this.holders(initiativeId, 'R'), A: this.holders(initiativeId, 'A'), C: this.holders(initiativeId, 'C'), I: this.holders(initiativeId, 'I') }
  }

  /** The formal deciders, as the resolver finds them: the A holders of the nearest level that has any. */
  formalDeciders (initiativeId: string): RoleHolder[] {
    const direct = this.snapshot.holders({ kind: 'initiative', id: initiativeId }, 'A', this.at)
    if (direct.length > 0) return direct.map((assignment) => ({ personId: assignment.personId, assignment, source: 'direct', domainId: null }))
    for (const domainId of this.chainOf(initiativeId)) {
      const held = this.#onDomain(domainId, 'A')
      if (held.length > 0) return held.map((assignment) => ({ personId: assignment.personId, assignment, source: 'inherited', domainId }))
    }
    return []
  }

  /** Whether anyone holds the role on the initiative at `at`, directly or inherited. */
  hasHolder (initiativeId: string, role: RaciRoleName): boolean {
    return this.snapshot.holders({ kind: 'initiative', id: initiativeId }, role, this.at).length > 0 ||
      this.chainOf(initiativeId).some((domainId) => this.#onDomain(domainId, role).length > 0)
  }

  /** The people who hold the role on the initiative at `at`, directly or inherited, each once. */
  holderIds (initiativeId: string, role: RaciRoleName): Set<string> {
    const ids = new Set(this.snapshot.holders({ kind: 'initiative', id: initiativeId }, role, this.at).map((a) => a.personId))
    for (const domainId of this.chainOf(initiativeId)) for (const a of this.#onDomain(domainId, role)) ids.add(a.personId)
    return ids
  }

  /** Assignments valid at `at`. */
  assignments (): readonly AssignmentRecord[] { return this.#assignments ??= holdingAt(this.snapshot.assignments, this.at) }
  /** Delegations valid at `at`. */
  delegations (): readonly DelegationRecord[] { return this.#delegations ??= holdingAt(this.snapshot.delegations, this.at) }
  /** Influences observed on or before `at` (an influence has no end: it holds until the record is deleted). */
  influences (): readonly InfluenceRecord[] { return this.#influences ??= this.snapshot.influences.filter((i) => i.observedAt <= this.at) }
  /** Decisions recorded as made on or before `at`. */
  decisions (): readonly DecisionRecord[] { return this.snapshot.decisions.filter((d) => d.decidedAt <= this.at) }

  /**
   * The call a decision undoes: the one it names in `supersedes`; for a reversal or a veto that names none, the
   * latest earlier call on the same initiative (ties: the highest id). Undefined for a plain call, a deferral, or none.
   */
  supersededBy (decision: DecisionRecord): DecisionRecord | undefined {
    if (decision.supersedes !== null) return (this.#decisionsById ??= new Map(this.snapshot.decisions.map((d) => [d.id, d]))).get(decision.supersedes)
    if (decision.kind !== 'reversal' && decision.kind !== 'veto') return undefined
    let latest: DecisionRecord | undefined
    for (const d of this.snapshot.decisions) {
      if (d.id === decision.id || d.initiativeId !== decision.initiativeId || d.decidedAt > decision.decidedAt) continue
      if (latest === undefined || d.decidedAt > latest.decidedAt || (d.decidedAt === latest.decidedAt && d.id > latest.id)) latest = d
    }
    return latest
  }

  /**
   * Whether the decision undoes a call made, at its own time, by someone who decided through a transfer from this
   * decision's maker: the leader who handed a decision over and then reversed what was done with it.
   */
  reversedTransfer (decision: DecisionRecord): ReversedTransfer | undefined {
    const superseded = this.supersededBy(decision)
    if (superseded === undefined || superseded.decidedBy === decision.decidedBy) return undefined
    const maker = this.decider(superseded.initiativeId, superseded.decidedAt).deciders.find((d) => d.personId === superseded.decidedBy)
    const transfer = maker?.via.find((s): s is ViaStep & { kind: 'delegation' } =>
      s.kind === 'delegation' && s.delegationKind === 'transfer' && s.from === decision.decidedBy)
    return transfer === undefined ? undefined : { superseded, transfer }
  }

  /** Per person, the live initiatives they are an effective decider of, in id order. */
  deciderLoads (): ReadonlyMap<string, readonly string[]> {
    if (this.#loads === undefined) {
      const loads = new Map<string, string[]>()
      for (const initiative of this.liveInitiatives()) {
        for (const { personId } of this.decider(initiative.id).deciders) {
          const load = loads.get(personId)
          if (load === undefined) loads.set(personId, [initiative.id])
          else load.push(initiative.id)
        }
      }
      this.#loads = loads
    }
    return this.#loads
  }

  /** The live initiatives the person is an effective decider of. */
  liveInitiativesDecidedBy (personId: string): readonly string[] { return this.deciderLoads().get(personId) ?? [] }

  /** The person's managers, nearest first, through every level of the reporting line (loop-safe). */
  managerChain (personId: string): readonly string[] {
    let chain = this.#managers.get(personId)
    if (chain === undefined) {
      const ids: string[] = []
      for (let m = this.person(personId)?.managerId ?? null; m !== null && m !== personId && !ids.includes(m); m = this.person(m)?.managerId ?? null) ids.push(m)
      this.#managers.set(personId, chain = ids)
    }
    return chain
  }

  /** Whether the person reports to the manager, directly or through any number of levels. */
  reportsTo (personId: string, managerId: string): boolean { return this.managerChain(personId).includes(managerId) }

  /**
   * Every loop of delegations valid at `at` that a lookup could walk into, each once (its delegations from its
   * lowest person on). A lookup follows, from each person, the one delegation that covers its target most
   * specifically (the initiative, then the nearest domain, then everything; ties to the lowest id), so for any
   * target the delegations form a graph with one way out of each person, whose loops are found in linear time.
   * Targets that see the same delegations form one class: a domain that delegations name (with its ancestors), an
   * initiative that delegations name, and the rest (everything-delegations only).
   */
  delegationLoops (): DelegationRecord[][] {
    const valid = [...this.delegations()].sort(byId)
    const loops = new Map<string, DelegationRecord[]>()
    // From a person away every delegation applies; from one at work only transfers: a loop of transfers that a more
    // specific deputy hides from the first walk is found by the second.
    this.#loopsOf(valid, loops)
    this.#loopsOf(valid.filter((d) => d.kind === 'transfer'), loops)
    return [...loops.keys()].sort().map((key) => loops.get(key)!)
  }

  /** Adds the loops the delegations (in id order) form to `loops`, keyed by their ids. */
  #loopsOf (valid: DelegationRecord[], loops: Map<string, DelegationRecord[]>): void {
    const everything = new Map<string, DelegationRecord>()
    for (const d of valid) if (d.allScopes && !everything.has(d.fromPersonId)) everything.set(d.fromPersonId, d)
    const byDomain = groupBy(valid.filter((d) => d.domainId !== null), (d) => d.domainId as string)
    const byInitiative = groupBy(valid.filter((d) => d.initiativeId !== null), (d) => d.initiativeId as string)
    const classes = [
      [],
      ...[...byDomain.keys()].map((id) => this.domainChain(id).flatMap((domainId) => byDomain.get(domainId) ?? [])),
      ...[...byInitiative].map(([id, own]) => [...own, ...this.chainOf(id).flatMap((domainId) => byDomain.get(domainId) ?? [])])
    ]
    for (const specific of classes) {
      // Most specific first, each group in id order: the first delegation seen from a person is the one followed.
      const chosen = new Map<string, DelegationRecord>()
      for (const d of specific) if (!chosen.has(d.fromPersonId)) chosen.set(d.fromPersonId, d)
      const done = new Set<string>()
      // A loop that no specific delegation takes part in is one of the class of everything-delegations.
      for (const start of specific.length === 0 ? everything.keys() : chosen.keys()) {
        const walk = new Map<string, DelegationRecord>()
        let person = start
        for (let d = chosen.get(person) ?? everything.get(person); d !== undefined && !done.has(person); d = chosen.get(person) ?? everything.get(person)) {
          done.add(person)
          walk.set(person, d)
          person = d.toPersonId
        }
        if (!walk.has(person)) continue
        const steps = [...walk.values()]
        const loop = steps.slice(steps.findIndex((d) => d.fromPersonId === person))
        const lowest = loop.reduce((min, d, i) => d.fromPersonId < loop[min]!.fromPersonId ? i : min, 0)
        loops.set(loop.map((d) => d.id).sort().join(' '), [...loop.slice(lowest), ...loop.slice(0, lowest)])
      }
    }
  }

  #onDomain (domainId: string, role: RaciRoleName): readonly AssignmentRecord[] {
    const byDomain = this.#domainHolders[role]
    let held = byDomain.get(domainId)
    if (held === undefined) byDomain.set(domainId, held = this.snapshot.holders({ kind: 'domain', id: domainId }, role, this.at))
    return held
  }

  #childIndex (): Map<string, string[]> {
    const children = groupBy(this.snapshot.domains.filter((d) => d.parentId !== null), (d) => d.parentId as string)
    return new Map([...children].map(([parentId, domains]) => [parentId, domains.map((d) => d.id)]))
  }
}

/** The read model of the snapshot at `at` (a canonical ISO instant). */
export const createReadModel = (snapshot: Snapshot, at: string): ReadModel => new ReadModel(snapshot, at)
