import { Navigate } from 'react-router';
import { roleKinds, useMe } from '../auth/me.ts';

/** `/console/` opens each role's daily work. */
export function HomeRedirect() {
  const { me } = useMe();
  const kinds = roleKinds(me);
  if (kinds.includes('sector')) return <Navigate to="/leads" replace />;
  if (kinds.includes('finance') || kinds.includes('finance-head')) return <Navigate to="/reviews" replace />;
  if (kinds.includes('auditor')) return <Navigate to="/audit" replace />;
  if (kinds.includes('admin')) return <Navigate to="/admin" replace />;
  return null;
}
