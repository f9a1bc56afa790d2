/**
 * The texts cPanel's mass_edit_zone answers with for line-level problems (cpanel-api.md §6.3, §6.5;
 * v120 Cpanel/ZoneFile/LineEdit.pm). Kept character for character: `“ ” ’` are U+201C, U+201D,
 * U+2019 and "upate" is cPanel's own typo. Texts marked "ours" are not documented: cPanel refuses
 * the change, but its wording is unknown.
 */
export const lineEditMessages = {
  noRecordAtLine: (line: number, zone: string) => `No record exists at line ${line} in the “${zone}” DNS zone.`,
  multipleEdits: (line: number) => `You submitted multiple edits for line index ${line}. This interface forbids multiple edits per line.`,
  soaSerialChanged: (oldSerial: string) =>
    `This system forbids direct updates to the SOA record’s serial number. Provide the old serial number (${oldSerial}) instead, and the system will upate the serial number for you.`,
  /** ours */
  removeSoa: (line: number, zone: string) => `You cannot remove the SOA record at line ${line} of the “${zone}” DNS zone.`,
  /** ours */
  secondSoa: (zone: string) => `The “${zone}” DNS zone already has an SOA record. A zone can have only one.`,
  /** ours */
  noNameServers: (zone: string) => `The “${zone}” DNS zone must keep at least one NS record at its apex.`,
  /** ours */
  invalidResult: (zone: string, detail: string) => `The “${zone}” DNS zone would not be valid after this change: ${detail}`,
} as const;
