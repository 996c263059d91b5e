import { CaseFacts } from '../case-facts/case-facts.dto';
import { assertNoLeaks } from '../confidentiality/leak-check';
import { ConfidentialValue, confidentialValues } from '../confidentiality/sensitivity';
import type { WrittenLayout } from '../confidentiality/written-text';
import { Audience } from '../packs/pack-manifest';

/** Each audience's copy of the packet, in the order a clerk hands them out. */
export const BUNDLES: { audience: Audience; file: string; title: string }[] = [
  { audience: Audience.Court, file: 'packet.pdf', title: 'Court filing' },
  { audience: Audience.Petitioner, file: 'petitioner-copy.pdf', title: "Petitioner's copy" },
  {
    audience: Audience.Respondent,
    file: 'respondent-service-copy.pdf',
    title: "Respondent's service copy",
  },
  {
    audience: Audience.LawEnforcement,
    file: 'law-enforcement-packet.pdf',
    title: 'Law-enforcement service packet',
  },
];

/**
 * Confidential values an officer's packet may carry: CLETS-001 and the like exist so that law
 * enforcement can reach the protected person. The residence never travels, because papers an
 * officer carries can end up in the respondent's hands.
 */
const LAW_ENFORCEMENT_MAY_CARRY = ['petitioner.safePhone'];

/** Audiences whose bundles leave the court's hands, and so are checked before release. */
export function isReleasedOutsideCourt(audience: Audience): boolean {
  return audience === Audience.Respondent || audience === Audience.LawEnforcement;
}

function valuesToBlock(facts: CaseFacts, audience: Audience): ConfidentialValue[] {
  const all = confidentialValues(facts);
  return audience === Audience.LawEnforcement
    ? all.filter((v) => !LAW_ENFORCEMENT_MAY_CARRY.includes(v.field))
    : all;
}

export interface BundleFile {
  documentId: string;
  name: string;
  bytes: Uint8Array;
  /** How our writer laid the file out, when we wrote it: the check proves it from its objects. */
  written?: WrittenLayout;
}

/**
 * The release check: every file of a bundle that leaves the court, and the merged bundle itself,
 * must hold none of the case's confidential values, or nothing is released at all.
 */
export async function checkBundleBeforeRelease(
  facts: CaseFacts,
  audience: Audience,
  files: BundleFile[],
): Promise<void> {
  if (!isReleasedOutsideCourt(audience)) return;
  await assertNoLeaks(files, valuesToBlock(facts, audience));
}
