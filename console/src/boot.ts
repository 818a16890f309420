import { startEarly } from './early.ts';

// The console's first script (index.html), a few KB: it asks for what the page needs while the app's code
// (src/main.tsx) loads and evaluates. See src/early.ts.
startEarly();
