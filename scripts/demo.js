#!/usr/bin/env node
'use strict';
// `npm start`: the demo arrives with the web UI (daemon + built-in cPanel simulator).
process.stdout.write('fix-email-auth demo: the demo arrives with the web UI. Meanwhile try `npm run build && ./bin/fix-email-auth --help`.\n');
