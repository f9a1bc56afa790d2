#!/usr/bin/env node
'use strict';
/**
 * The installer's JSON work, in Node (bash has no JSON): run as `node json-tool.js COMMAND ARGS`,
 * reading WHM API output on stdin where it says so. Exit 0 = yes/ok, 1 = no, 2 = bad input.
 *
 *   merge-config FILE AUTH_ID SENDER_ID_TEMPLATE BACKUP   print the config with the given flags set
 *                                                         ("" = keep what FILE has; on a first install
 *                                                         the template defaults to AUTH_ID|x-authuser|{user},
 *                                                         "none" removes it)
 *   whm-ok                  stdin: WHM API 1 JSON; ok when metadata.result is 1, else print reason
 *   token-from-create       stdin: api_token_create JSON; print data.token
 *   token-exists NAME       stdin: api_token_list JSON
 *   token-has-acls NAME ACL…  stdin: api_token_list JSON; yes when the token holds every ACL (`all`
 *                           holds all; api_token_list reports a token's ACLs as {acl: 0|1})
 *   hook-registered CATEGORY EVENT STAGE HOOK             stdin: list_hooks JSON
 *   prod-deps LOCKFILE      print the top-level node_modules entries that are not dev-only
 */
const fs = require('fs');

// Same rules as src/config.ts (mailchannelsId, senderIdTemplate, backup.policy), checked here so a
// bad flag fails the install instead of the daemon's start.
const AUTH_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SENDER_ID_TEMPLATE = /^[A-Za-z0-9._-]+\|x-auth(user|sender)\|[A-Za-z0-9._@{}-]*\{user\}[A-Za-z0-9._@{}-]*$/;
const BACKUP = ['required', 'best-effort', 'off'];

const [command, ...args] = process.argv.slice(2);

function stdinJson() {
  try {
    return JSON.parse(fs.readFileSync(0, 'utf8'));
  } catch {
    return null;
  }
}

function bad(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function mergeConfig([file, authId, template, backup]) {
  let config = {};
  if (fs.existsSync(file)) {
    try {
      config = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      bad(`${file} is not valid JSON (${err.message}); fix or remove it`);
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) bad(`${file} must hold a JSON object`);
  }
  config.provider = config.provider && typeof config.provider === 'object' ? config.provider : {};
  const firstInstall = !config.provider.authId;
  if (authId) {
    if (authId.length > 64 || !AUTH_ID.test(authId)) bad(`--auth-id “${authId}”: letters, digits, ".", "_" and "-" only (at most 64)`);
    config.provider.authId = authId;
  }
  if (!config.provider.authId) bad('--auth-id is required on the first install (your MailChannels account id, e.g. --auth-id webhostingm)');
  // The record the provider asks for is `v=mc1 auth=<id> senderid=<id>|x-authuser|<cPanel user>`, so a
  // first install writes that template unless told otherwise; `none` turns it off. A re-run without
  // the flag keeps what the file says.
  if (template === 'none') delete config.provider.senderIdTemplate;
  else if (template) {
    if (template.length > 200 || !SENDER_ID_TEMPLATE.test(template))
      bad(`--sender-id-template “${template}”: like "webhostingm|x-authuser|{user}", or none`);
    config.provider.senderIdTemplate = template;
  } else if (firstInstall) config.provider.senderIdTemplate = `${config.provider.authId}|x-authuser|{user}`;
  if (backup) {
    if (!BACKUP.includes(backup)) bad(`--backup must be one of ${BACKUP.join(', ')}`);
    config.backup = { ...(config.backup && typeof config.backup === 'object' ? config.backup : {}), policy: backup };
  }
  process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
}

function walkHooks(list, [category, event, stage, hook]) {
  for (const c of list?.data?.categories ?? []) {
    if (c?.category !== category) continue;
    for (const e of c.events ?? []) {
      if (e?.event !== event) continue;
      for (const s of e.stages ?? []) if (s?.stage === stage && (s.actions ?? []).some((a) => a?.hook === hook)) return true;
    }
  }
  return false;
}

switch (command) {
  case 'merge-config':
    mergeConfig(args);
    break;
  case 'whm-ok': {
    const reply = stdinJson();
    if (reply?.metadata?.result === 1) process.exit(0);
    process.stdout.write(`${reply?.metadata?.reason ?? 'no JSON answer'}\n`);
    process.exit(1);
    break;
  }
  case 'token-from-create': {
    const token = stdinJson()?.data?.token;
    if (typeof token !== 'string' || !/^[A-Za-z0-9]+$/.test(token)) process.exit(1);
    process.stdout.write(token);
    break;
  }
  case 'token-exists': {
    const tokens = stdinJson()?.data?.tokens;
    const names = Array.isArray(tokens) ? tokens.map((t) => t?.name) : Object.keys(tokens ?? {});
    process.exit(names.includes(args[0]) ? 0 : 1);
    break;
  }
  case 'token-has-acls': {
    const [name, ...wanted] = args;
    const tokens = stdinJson()?.data?.tokens;
    const token = Array.isArray(tokens) ? tokens.find((t) => t?.name === name) : tokens?.[name];
    const acls = token?.acls;
    // cPanel 11.120 Whostmgr/API/1/Tokens.pm api_token_list: a hash of every ACL → 0/1; older answers a list.
    const held = (acl) => (Array.isArray(acls) ? acls.includes(acl) || acls.includes('all') : Boolean(acls?.[acl]) || Boolean(acls?.all));
    process.exit(token && acls && wanted.every(held) ? 0 : 1);
    break;
  }
  case 'hook-registered':
    process.exit(walkHooks(stdinJson(), args) ? 0 : 1);
    break;
  case 'prod-deps': {
    const lock = JSON.parse(fs.readFileSync(args[0], 'utf8'));
    const entries = Object.entries(lock.packages ?? {})
      .filter(([path, meta]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !meta.dev)
      .map(([path]) => path)
      .sort();
    process.stdout.write(entries.map((e) => `${e}\n`).join(''));
    break;
  }
  default:
    bad(`unknown command ${command}`);
}
