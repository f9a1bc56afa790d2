/**
 * Tag=value lists, the syntax shared by DKIM key records (RFC 6376 §3.2) and DMARC records
 * (RFC 7489 §6.4, which reuses it):
 *
 *     tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *     tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *     tag-name  = ALPHA *ALNUMPUNC                 ; ALNUMPUNC = ALPHA / DIGIT / "_"
 *     tag-value = [ tval *( 1*(WSP / FWS) tval ) ] ; tval = 1*VALCHAR, VALCHAR = %x21-3A / %x3C-7E
 *
 * "Tags with duplicate names MUST NOT occur within a single tag-list; if a tag name does occur more
 * than once, the entire tag-list is invalid" (RFC 6376 §3.2).
 */
import { shown } from './records';

export interface Tag {
  /** As written. */
  name: string;
  /** Surrounding whitespace removed; inner whitespace kept. */
  value: string;
}

export interface ParsedTagList {
  tags: Tag[];
  problems: string[];
}

const MAX_PROBLEMS = 20;
/** WSP and the CR/LF of folding whitespace. */
const FWS = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function parseTagList(value: string, options: { caseInsensitiveNames?: boolean } = {}): ParsedTagList {
  const tags: Tag[] = [];
  const problems: string[] = [];
  const add = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const seen = new Set<string>();
  const specs = value.split(';');
  specs.forEach((spec, i) => {
    const trimmed = spec.replace(FWS, '');
    if (trimmed === '') {
      // Only the optional final ";" may leave an empty spec.
      if (i !== specs.length - 1) add('The record has an empty entry (two ";" in a row, or a leading ";").');
      return;
    }
    const m = /^([^=]*?)[ \t\r\n]*=[ \t\r\n]*([\s\S]*)$/.exec(trimmed);
    if (!m) {
      add(`"${shown(trimmed)}" is not of the form tag=value.`);
      return;
    }
    const name = m[1] as string;
    const tagValue = m[2] as string;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      add(`"${shown(name)}" is not a valid tag name.`);
      return;
    }
    if (!/^(?:[\x21-\x3a\x3c-\x7e]+(?:[ \t\r\n]+[\x21-\x3a\x3c-\x7e]+)*)?$/.test(tagValue)) {
      add(`The value of "${shown(name)}=" contains characters a tag value may not hold.`);
    }
    const key = options.caseInsensitiveNames ? name.toLowerCase() : name;
    if (seen.has(key)) add(`The tag "${shown(name)}=" appears more than once, which makes the whole record invalid.`);
    seen.add(key);
    tags.push({ name, value: tagValue });
  });
  return { tags, problems };
}

/** The value of a tag (first occurrence), or undefined. */
export function tagValue(list: ParsedTagList, name: string, caseInsensitive = false): string | undefined {
  const wanted = caseInsensitive ? name.toLowerCase() : name;
  return list.tags.find((t) => (caseInsensitive ? t.name.toLowerCase() : t.name) === wanted)?.value;
}
