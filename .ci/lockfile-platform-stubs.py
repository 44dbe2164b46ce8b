#!/usr/bin/env python3
"""Adds lock entries for rollup's other-platform binaries that this registry does not serve.

The npm registry reachable here serves only some of @rollup/rollup-<platform> (linux x64/arm64 glibc).
`npm install` then writes a package-lock.json without the others, and `npm ci` refuses it
("Missing: @rollup/rollup-android-arm64@ from lock file"). Each stub names its os/cpu/libc, so npm
skips it on this machine and never fetches it. Run after any `npm install`:

    python3 .ci/lockfile-platform-stubs.py package-lock.json
"""
import json, re, sys
p = sys.argv[1]
lock = json.load(open(p))
pk = lock['packages']
rollup = pk['node_modules/rollup']
ver = rollup['version']
added = []
for name in rollup.get('optionalDependencies', {}):
    key = 'node_modules/' + name
    if key in pk:
        continue
    plat = name.split('/rollup-')[1]
    parts = plat.split('-')
    osname, cpu = parts[0], parts[1]
    entry = {'version': ver, 'cpu': [cpu], 'dev': True, 'license': 'MIT', 'optional': True, 'os': [osname]}
    rest = '-'.join(parts[2:])
    if osname == 'linux':
        entry['libc'] = ['musl'] if 'musl' in rest else ['glibc']
    pk[key] = dict(sorted(entry.items()))
    added.append(name)
lock['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(p, 'w'), indent=2)
open(p, 'a').write('\n')
print('added', len(added))
