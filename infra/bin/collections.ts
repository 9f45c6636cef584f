#!/usr/bin/env node
import { createApp } from '../lib/app.js';

// `npx cdk synth --context env=dev|test|prod` (cdk.json runs this file with tsx).
createApp();
