// The lines of authority as a picture: who decides which domains and initiatives, who handed authority to whom, and
// the influence of retired people and shareholders, drawn by Graphviz (compiled to WebAssembly) as inline SVG.
import type { Edge, Graph, Node, Subgraph, Viz } from '@viz-js/viz'
import type { ReadModel } from '../registry/read-model.js'
import type { InitiativeRecord } from '../registry/types.js'
import type { RecordNames } from './names.js'

/** The colours the picture and its legend share. */
export const GRAPH_COLOURS = { decides: '#1f4e79', delegates: '#6a3d9a', alarm: '#d62728', influence: '#8c8c8c' } as const

const GONE = new Set(['retired', 'departed'])

/** Whether the person holds shares: the tag the shareholder rule reads, or a recorded stake. */
const isShareholder = (model: ReadModel, personId: string): boolean => {
  const p = model.person(personId)
  return p !== undefined && (p.tags.includes('shareholder') || (p.stakePercent ?? 0) > 0)
}

/**
 * Whose part in the picture is drawn in the alarm colour: a retired or departed person, or a shareholder outside the
 * management line (neither executive nor on the board, as the shareholder rule reads it). An owner who runs the
 * firm is labelled a shareholder but not raised as an alarm.
 */
const isAlarming = (model: ReadModel, personId: string): boolean => {
  if (GONE.has(model.statusOf(personId))) return true
  const tags = model.person(personId)?.tags ?? []
  return isShareholder(model, personId) && !tags.includes('executive') && !tags.includes('board')
}

/**
 * A label as Graphviz reads it: a backslash would start an escape (\N, \l…), so it is doubled; long text is wrapped
 * at word boundaries. Graphviz escapes the text itself when it writes SVG.
 */
export function graphLabel (text: string, width = 28): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.replaceAll('\\', '\\\\').split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + word.length + 1 > width) { lines.push(line); line = word } else line = line === '' ? word : `${line} ${word}`
  }
  lines.push(line)
  return lines.join('\\n')
}

/** The graph of the initiatives given (and the domains they sit in) at the model's time. */
export function authorityGraph (model: ReadModel, initiatives: readonly InitiativeRecord[], names: RecordNames): Graph {
  const ids = new Map<string, string>()
  const node = (kind: string, id: string): string => {
    const key = `${kind}:${id}`
    let name = ids.get(key)
    if (name === undefined) ids.set(key, name = `${kind.charAt(0)}${ids.size}`)
    return name
  }
  const domains = new Set(initiatives.flatMap((i) => model.chainOf(i.id)))
  const shown = new Set(initiatives.map((i) => i.id))
  const targetNode = (row: { initiativeId: string | null, domainId: string | null }): string | undefined =>
    row.initiativeId !== null ? (shown.has(row.initiativeId) ? node('initiative', row.initiativeId) : undefined)
      : row.domainId !== null && domains.has(row.domainId) ? node('domain', row.domainId) : undefined

  const edges: Edge[] = []
  const people = new Set<string>()
  const link = (personId: string, head: string | undefined, attributes: Edge['attributes']): void => {
    if (head === undefined) return
    people.add(personId)
    edges.push({ tail: node('person', personId), head, attributes })
  }
  for (const a of model.assignments()) {
    const gone = GONE.has(model.statusOf(a.personId))
    if (a.role === 'A') link(a.personId, targetNode(a), { color: gone ? GRAPH_COLOURS.alarm : GRAPH_COLOURS.decides, penwidth: gone ? 2.5 : 1.5 })
    else if (gone && a.role !== 'I') link(a.personId, targetNode(a), { color: GRAPH_COLOURS.alarm, penwidth: 2.5, label: a.role, fontcolor: GRAPH_COLOURS.alarm })
  }
  // A delegation of everything is drawn from someone the picture shows deciding; a scoped one when its target is shown.
  for (const d of model.delegations()) {
    if (d.allScopes ? !people.has(d.fromPersonId) : targetNode(d) === undefined) continue
    people.add(d.toPersonId)
    link(d.fromPersonId, node('person', d.toPersonId), {
      color: GRAPH_COLOURS.delegates, style: 'dashed', fontcolor: GRAPH_COLOURS.delegates, label: graphLabel(`delegates ${names.target(d)}`, 24)
    })
  }
  // Influence is drawn where it lands in the picture: on a person the picture shows, or on a target it shows.
  const shownPeople = new Set(people)
  for (const i of model.influences()) {
    if (i.overPersonId !== null && !shownPeople.has(i.overPersonId)) continue
    const alarming = isAlarming(model, i.personId)
    const head = i.overPersonId !== null ? node('person', i.overPersonId) : targetNode(i)
    link(i.personId, head, alarming
      ? { color: GRAPH_COLOURS.alarm, penwidth: i.strength === 'high' ? 3 : 2, style: 'bold', fontcolor: GRAPH_COLOURS.alarm, label: `steers (${i.strength})` }
      : { color: GRAPH_COLOURS.influence, style: 'dotted', fontcolor: GRAPH_COLOURS.influence, label: `influence (${i.strength})` })
  }

  const personNodes: Node[] = [...people].sort().map((id) => {
    const status = model.statusOf(id)
    const notes = [status === 'active' ? '' : status.replace('_', ' '), isShareholder(model, id) ? 'shareholder' : ''].filter((n) => n !== '')
    const alarming = isAlarming(model, id)
    return {
      name: node('person', id),
      attributes: {
        label: graphLabel(model.nameOf(id)) + (notes.length === 0 ? '' : `\\n(${notes.join(', ')})`),
        shape: 'ellipse', style: 'filled',
        fillcolor: GONE.has(status) ? '#fde2e2' : status === 'active' ? '#ffffff' : '#fff3cd',
        color: alarming ? GRAPH_COLOURS.alarm : '#555555', penwidth: alarming ? 2 : 1
      }
    }
  })
  const initiativeNode = (i: InitiativeRecord): Node => ({
    name: node('initiative', i.id), attributes: { label: graphLabel(i.title), shape: 'box', style: 'rounded,filled', fillcolor: '#eef3fb' }
  })
  const children = new Map<string | null, string[]>()
  for (const id of [...domains].sort()) {
    const parent = model.domain(id)?.parentId ?? null
    const key = parent !== null && domains.has(parent) ? parent : null
    children.set(key, [...children.get(key) ?? [], id])
  }
  const cluster = (domainId: string): Subgraph => ({
    name: `cluster_${node('domain', domainId)}`,
    graphAttributes: { label: graphLabel(names.label({ kind: 'domain', id: domainId }), 40), labeljust: 'l', style: 'rounded,filled', fillcolor: '#f5f7fa', color: '#b8c2cc' },
    nodes: [
      { name: node('domain', domainId), attributes: { label: graphLabel(`domain ${names.label({ kind: 'domain', id: domainId })}`), shape: 'folder', style: 'filled', fillcolor: '#dde6f0' } },
      ...initiatives.filter((i) => i.domainId === domainId).map(initiativeNode)
    ],
    subgraphs: (children.get(domainId) ?? []).map(cluster)
  })
  return {
    directed: true,
    graphAttributes: { rankdir: 'LR', fontname: 'Helvetica,Arial,sans-serif', fontsize: 11, nodesep: 0.25, ranksep: 0.9 },
    nodeAttributes: { fontname: 'Helvetica,Arial,sans-serif', fontsize: 10 },
    edgeAttributes: { fontname: 'Helvetica,Arial,sans-serif', fontsize: 9, arrowsize: 0.7 },
    nodes: [...personNodes, ...initiatives.filter((i) => i.domainId === null).map(initiativeNode)],
    edges,
    subgraphs: (children.get(null) ?? []).map(cluster)
  }
}

/** Past this many initiatives one picture is a strip pages long: it is drawn once per top-level domain instead. */
export const PICTURE_SPLIT = 24

/** One picture of the report: the whole scope (no label), or one top-level domain's part of it. */
export interface Picture { label?: string, graph: Graph }

// Domain names as a reader scans them ("Region 2" before "Region 10"), in one locale so every machine agrees.
const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare

/**
 * The pictures of the initiatives given: one, or past PICTURE_SPLIT initiatives one per top-level domain (by name;
 * those without a domain last), each with the people who decide there and the delegations and influence that reach
 * them. A picture with nothing to draw is left out.
 */
export function authorityPictures (model: ReadModel, initiatives: readonly InitiativeRecord[], names: RecordNames): Picture[] {
  const groups = new Map<string | null, InitiativeRecord[]>()
  if (initiatives.length <= PICTURE_SPLIT) groups.set(null, [...initiatives])
  else {
    for (const i of initiatives) {
      const top = model.chainOf(i.id).at(-1) ?? null
      groups.set(top, [...groups.get(top) ?? [], i])
    }
  }
  const split = initiatives.length > PICTURE_SPLIT
  return [...groups]
    .map(([top, group]) => ({ top, label: top === null ? 'Without a domain' : names.label({ kind: 'domain', id: top }), graph: authorityGraph(model, group, names) }))
    .filter(({ graph }) => (graph.nodes?.length ?? 0) > 0 || (graph.subgraphs?.length ?? 0) > 0)
    .sort((a, b) => Number(a.top === null) - Number(b.top === null) || byName(a.label, b.label))
    .map(({ label, graph }) => split ? { label, graph } : { graph })
}

let viz: Promise<Viz> | undefined

/**
 * The graph laid out by Graphviz's dot as an SVG element for inline use: no XML prologue or doctype, and none of the
 * comments and titles that would show the generated node names. Graphviz (a large module) is loaded and its
 * WebAssembly instance made once per process, on first use.
 */
export async function renderSvg (graph: Graph): Promise<string> {
  const svg = (await (viz ??= import('@viz-js/viz').then(async (m) => await m.instance()))).renderString(graph, { format: 'svg', engine: 'dot' })
  return svg.slice(svg.indexOf('<svg')).replace(/<!--[^]*?-->|<title>[^<]*<\/title>/g, '').replace(/\n{2,}/g, '\n')
}
