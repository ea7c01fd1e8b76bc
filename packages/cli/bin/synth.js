#!/usr/bin/env node
import { runMain } from '../dist/main.js'

await runMain(['synth', ...process.argv.slice(2)])
