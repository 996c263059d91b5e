import { CaseFacts } from '../case-facts/case-facts.dto';
import type { MatterView } from '../matters/matter.dto';
import { HtmlValue, SafeHtml, markup } from '../web/html';
import type { SummaryError } from '../web/layout';
import {
  LeafSpec,
  PropertySpec,
  describePath,
  factAnchor,
  isConfidential,
  itemLabel,
  labelOf,
  optionLabel,
  propertiesOf,
  typedFacts,
} from './fact-schema';
import { STATUS_LABELS } from './matters-list-page';
import { StaffPageContext, csrfField, staffErrorSummary, staffLayout, when } from './staff-layout';

/** What the signed-in role may do on this page: controls it cannot use are not shown. */
export interface MatterAbilities {
  write: boolean;
  generate: boolean;
  download: boolean;
  confidential: boolean;
}

export interface MatterPageInput {
  matter: MatterView;
  /** The facts include the confidential values (an audited view). */
  confidentialShown: boolean;
  can: MatterAbilities;
  /** Staff account id to email, to say who made a packet. */
  staffNames: ReadonlyMap<string, string>;
  /** The fact just saved, in words. */
  saved?: string;
  /** The version of a packet just made. */
  generated?: number;
  /** Why generating failed, said so that staff can act on it. */
  problems?: string[];
}

type Json = unknown;

interface FactsRender {
  matterId: string;
  hidden: ReadonlySet<string>;
  shown: boolean;
  can: MatterAbilities;
}

const NOT_GIVEN = markup`<span class="fact-missing">Not given</span>`;
const HIDDEN = markup`<span class="fact-hidden">Confidential: hidden</span>`;

function confidentialTag(r: FactsRender, path: string): HtmlValue {
  return (
    r.shown &&
    isConfidential(path) &&
    markup` <span class="tag tag-confidential">Confidential</span>`
  );
}

function leafValue(spec: LeafSpec, value: Json): HtmlValue {
  if (value === undefined || value === null || value === '') return NOT_GIVEN;
  switch (spec.kind) {
    case 'boolean':
      return value === true ? 'Yes' : 'No';
    case 'enum':
      return optionLabel(String(value));
    case 'enumList':
      return Array.isArray(value) && value.length > 0
        ? value.map((v) => optionLabel(String(v))).join(', ')
        : 'None';
    case 'textList':
      return Array.isArray(value) && value.length > 0
        ? markup`<ul class="fact-list">${value.map((v) => markup`<li>${String(v)}</li>`)}</ul>`
        : 'None';
    case 'longText':
      return markup`<span class="fact-long">${String(value)}</span>`;
    default:
      return String(value);
  }
}

function editLink(r: FactsRender, path: string): HtmlValue {
  if (!r.can.write || (isConfidential(path) && !r.can.confidential)) return undefined;
  const href = `/staff/matters/${r.matterId}/edit?field=${encodeURIComponent(path)}`;
  return markup` <a class="fact-edit" href="${href}">Edit<span class="visually-hidden"> ${describePath(path)}</span></a>`;
}

function row(id: string | undefined, label: string, value: HtmlValue): SafeHtml {
  return markup`<div class="fact"${id !== undefined && markup` id="${id}"`}>
<dt class="fact-label">${label}</dt>
<dd class="fact-value">${value}</dd>
</div>
`;
}

/** One object of the facts as a definition list, nested objects and lists inside it. */
function factList(r: FactsRender, obj: object, path: string): SafeHtml {
  const specs = propertiesOf(obj.constructor as new () => object);
  const rows = specs.map((spec) =>
    factRow(r, spec, (obj as Record<string, Json>)[spec.name], `${path}.${spec.name}`),
  );
  return markup`<dl class="facts">
${rows}</dl>
`;
}

function factRow(r: FactsRender, spec: PropertySpec, value: Json, path: string): SafeHtml {
  const label = labelOf(spec.name);
  const hidden = r.hidden.has(path);
  if (!spec.nested) {
    const shown = hidden ? HIDDEN : leafValue(spec.leaf, value);
    return row(
      factAnchor(path),
      label,
      markup`${shown}${confidentialTag(r, path)}${editLink(r, path)}`,
    );
  }
  if (spec.nested === 'object') {
    const inner =
      typeof value === 'object' && value !== null
        ? factList(r, value, path)
        : hidden
          ? HIDDEN
          : NOT_GIVEN;
    return row(factAnchor(path), label, markup`${confidentialTag(r, path)}${inner}`);
  }
  const items = Array.isArray(value) ? value : [];
  const inner =
    items.length === 0
      ? 'None'
      : markup`<ol class="fact-items">
${items.map(
  (item: Json, i) => markup`<li class="fact-item">
<p class="fact-item-title">${itemLabel(spec.name, i)}</p>
${typeof item === 'object' && item !== null ? factList(r, item, `${path}.${i}`) : undefined}</li>
`,
)}</ol>`;
  return row(factAnchor(path), label, inner);
}

/** The facts as sections: one per part of the case, lists of incidents and people numbered. */
function factSections(r: FactsRender, facts: CaseFacts): SafeHtml[] {
  const typed = typedFacts(facts) as unknown as Record<string, Json>;
  return propertiesOf(CaseFacts).map((spec) => {
    const value = typed[spec.name];
    const heading = markup`<h3 class="facts-heading" id="section-${spec.name}">${labelOf(spec.name)}</h3>\n`;
    if (spec.nested === 'list') {
      const items = Array.isArray(value) ? value : [];
      if (items.length === 0) return markup`${heading}<p>None.</p>\n`;
      return markup`${heading}<ol class="fact-items fact-items-top">
${items.map(
  (item: Json, i) => markup`<li class="fact-item" id="${factAnchor(`${spec.name}.${i}`)}">
<h4 class="fact-item-heading">${itemLabel(spec.name, i)}</h4>
${typeof item === 'object' && item !== null ? factList(r, item, `${spec.name}.${i}`) : undefined}</li>
`,
)}</ol>
`;
    }
    if (spec.nested === 'object') {
      if (typeof value !== 'object' || value === null) return markup`${heading}<p>Not given.</p>\n`;
      return markup`${heading}${factList(r, value, spec.name)}`;
    }
    return markup`${heading}<dl class="facts">${factRow(r, spec, value, spec.name)}</dl>\n`;
  });
}

function summary(input: MatterPageInput): SafeHtml {
  const m = input.matter;
  return markup`<dl class="summary-list">
${row(undefined, 'Reference', m.reference)}${row(undefined, 'Status', STATUS_LABELS[m.status])}${row(undefined, 'Court', m.court)}${row(undefined, 'Forms pack', m.packId)}${row(undefined, 'Created', when(m.createdAt))}${row(undefined, 'Last updated', when(m.updatedAt))}${row(undefined, 'Came from', m.sharedByPetitioner ? 'Shared by the petitioner' : 'Made by your organisation')}</dl>
`;
}

function notices(ctx: StaffPageContext, input: MatterPageInput): HtmlValue {
  const m = input.matter;
  const out: HtmlValue[] = [];
  if (input.saved !== undefined) {
    out.push(markup`<div class="notice notice-success" role="status">
<p>Saved: ${input.saved}.</p>
${m.packets.length > 0 && markup`<p>The packets below were made from the facts as they were: regenerate to use the change.</p>\n`}</div>
`);
  }
  if (input.generated !== undefined) {
    out.push(markup`<div class="notice notice-success" role="status">
<p>Packet version ${input.generated} was made. <a href="#packet-v${input.generated}">Go to its files</a></p>
</div>
`);
  }
  const hidden = m.hiddenConfidentialFields;
  if (input.confidentialShown) {
    out.push(markup`<div class="notice notice-confidential" id="confidential">
<p>Confidential details are shown, marked “Confidential”. They go only to the court. Seeing them was recorded in the audit trail.</p>
<p><a href="/staff/matters/${m.id}">Hide the confidential details</a></p>
</div>
`);
  } else if (hidden.length > 0) {
    const names = hidden.map((path) => describePath(path)).join('; ');
    const reveal = input.can.confidential
      ? markup`<form method="post" action="/staff/matters/${m.id}/confidential">
${csrfField(ctx)}<div class="actions"><button type="submit" id="show-confidential" class="button button-secondary" aria-describedby="confidential-hint">Show confidential details</button></div>
<p class="hint" id="confidential-hint">Showing them is recorded in the audit trail.</p>
</form>
`
      : markup`<p>Your role cannot see them.</p>\n`;
    out.push(markup`<div class="notice notice-confidential" id="confidential">
<p>Some details are confidential and hidden: ${names}. They go only to the court, never to the respondent.</p>
${reveal}</div>
`);
  }
  if (m.safetyNotices.length > 0) {
    out.push(markup`<div class="notice">
<h2 class="notice-heading">Before you generate</h2>
<ul class="bullets">
${m.safetyNotices.map((n) => markup`<li>${n.message} <a href="#${factAnchor(n.field)}">Go to ${describePath(n.field)}</a></li>\n`)}</ul>
</div>
`);
  }
  return out;
}

function packetFiles(
  packet: MatterView['packets'][number],
): { label: string; href: string; name: string }[] {
  const files: { label: string; href: string; name: string }[] = [];
  const link = (name: string): string | undefined => packet.links.files[name];
  for (const bundle of packet.bundles) {
    const href = bundle.file ? link(bundle.file.name) : undefined;
    if (bundle.file && href) {
      files.push({ label: `${bundle.title} (PDF)`, href, name: bundle.file.name });
    }
  }
  for (const doc of packet.documents) {
    for (const f of doc.files) {
      const href = link(f.name);
      const kind = f.name.split('.').pop()?.toUpperCase() ?? 'file';
      if (href) files.push({ label: `${doc.title} (${kind})`, href, name: f.name });
    }
  }
  return files;
}

function packetItem(input: MatterPageInput, packet: MatterView['packets'][number]): SafeHtml {
  const v = packet.version;
  const latest = packet === input.matter.packets[0];
  const by =
    packet.createdBy === null
      ? 'The petitioner, or a batch'
      : (input.staffNames.get(packet.createdBy) ?? packet.createdBy);
  const which = markup`<span class="visually-hidden">, version ${v}</span>`;
  const files = packetFiles(packet);
  const downloads =
    input.can.download &&
    markup`<ul class="downloads">
${packet.links.merged !== null && markup`<li><a class="download-link" id="download-merged-v${v}" href="${packet.links.merged}" download>Court filing, one PDF${which}</a></li>\n`}<li><a class="download-link" id="download-zip-v${v}" href="${packet.links.archive}" download>Every file, as a ZIP${which}</a></li>
</ul>
<details class="packet-files">
<summary>Each file on its own (${files.length})${which}</summary>
<ul class="file-list">
${files.map((f) => markup`<li><a href="${f.href}" download>${f.label}</a> <span class="hint">${f.name}</span></li>\n`)}</ul>
</details>
`;
  return markup`<li class="packet" id="packet-v${v}">
<h3 class="packet-title">Version ${v}${latest && ' (latest)'}</h3>
${packet.factsChangedSince && markup`<p class="tag tag-warning">The facts have changed since this version was made</p>\n`}<dl class="summary-list">
${row(undefined, 'Made', when(packet.createdAt))}${row(undefined, 'By', by)}${row(undefined, 'Forms pack', `${packet.pack.id}, version ${packet.pack.version}`)}</dl>
${packet.warnings.length > 0 && markup`<ul class="bullets">${packet.warnings.map((w) => markup`<li>${w}</li>`)}</ul>\n`}${downloads}</li>
`;
}

function packets(ctx: StaffPageContext, input: MatterPageInput): SafeHtml {
  const m = input.matter;
  const generate =
    input.can.generate &&
    markup`<form method="post" action="/staff/matters/${m.id}/packets">
${csrfField(ctx)}<div class="actions"><button type="submit" id="generate" class="button" aria-describedby="generate-hint">${m.packets.length > 0 ? 'Regenerate the packet' : 'Generate a packet'}</button></div>
<p class="hint" id="generate-hint">Makes a new version from the facts as they are now. Earlier versions stay until they expire.</p>
</form>
`;
  const list =
    m.packets.length === 0
      ? markup`<p>No packet yet.</p>\n`
      : markup`<ol class="packets" reversed>
${m.packets.map((p) => packetItem(input, p))}</ol>
`;
  return markup`<h2 class="subheading" id="packets">Packets</h2>
${generate}${list}`;
}

export function matterPage(ctx: StaffPageContext, input: MatterPageInput): SafeHtml {
  const m = input.matter;
  const render: FactsRender = {
    matterId: m.id,
    hidden: new Set(m.hiddenConfidentialFields),
    shown: input.confidentialShown,
    can: input.can,
  };
  const problems: SummaryError[] = (input.problems ?? []).map((message) => ({ message }));
  const main = markup`${staffErrorSummary(problems)}<p class="breadcrumb"><a href="/staff/matters">All matters</a></p>
<h1 class="heading">Matter ${m.reference}</h1>
${summary(input)}${notices(ctx, input)}${packets(ctx, input)}<h2 class="subheading" id="facts">Facts</h2>
${factSections(render, m.facts)}`;
  return staffLayout(ctx, {
    title: `Matter ${m.reference}`,
    hasErrors: problems.length > 0,
    main,
  });
}
