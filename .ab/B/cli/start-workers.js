import { prestartFor } from './prestart.js';
prestartFor(process.argv.slice(2));
//# sourceMappingURL=start-workers.js.map