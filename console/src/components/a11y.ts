import type { CSSProperties } from 'react';

/** Read by screen readers, not shown (a table's caption where the page title already says it). */
export const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

/** Secondary text dark enough for 4.5:1 on white (antd's secondary grey is lighter than that). */
export const QUIET_TEXT: CSSProperties = { color: '#595959' };
