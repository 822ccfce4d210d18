import { watchOutput } from './output-errors.js';
import { prestartFor } from './prestart.js';

watchOutput(); // before the workers: see output-errors.ts
prestartFor(process.argv.slice(2));
