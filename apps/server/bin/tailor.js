#!/usr/bin/env node
// Thin launcher so `tailor` works from the workspace bin without a TypeScript runtime.
import '../dist/cli/tailor.js';
