/**
 * The texts cPanel's mass_edit_zone answers with for line-level problems (docs/reference/cpanel-api.md §6.3, §6.5;
 * cPanel 11.120's Cpanel/ZoneFile/LineEdit.pm, https://github.com/asmrdevelop/cpanel). Kept character
 * for character (`[asis,X]` in cPanel's source renders as X): `“ ” ’` are U+201C, U+201D, U+2019 and
 * "upate" is cPanel's own typo. Texts marked "ours" are not cPanel's: the case is refused, but by a
 * later check whose wording we do not know.
 */
export const lineEditMessages = {
  noRecordAtLine: (line: number, zone: string) => `No record exists at line ${line} in the “${zone}” DNS zone.`,
  multipleEdits: (line: number) => `You submitted multiple edits for line index ${line}. This interface forbids multiple edits per line.`,
  soaSerialChanged: (oldSerial: string) =>
    `This system forbids direct updates to the SOA record’s serial number. Provide the old serial number (${oldSerial}) instead, and the system will upate the serial number for you.`,
  removeSoa: () => 'Every DNS zone must contain an SOA record.',
  soaTypeChanged: () => 'The SOA record’s type cannot change.',
  soaNameChanged: () => 'The SOA record’s name cannot change.',
  secondSoa: () => 'Only one SOA record can exist in a given DNS zone.',
  noNameServers: () => 'Every DNS zone must contain at least one “NS” record.',
  /** ours: cPanel counts NS lines by their type before the edit; a zone whose apex NS were all edited away fails its zone check */
  noApexNameServers: (zone: string) => `The “${zone}” DNS zone must keep at least one NS record at its apex.`,
  /** ours */
  invalidResult: (zone: string, detail: string) => `The “${zone}” DNS zone would not be valid after this change: ${detail}`,
} as const;
