import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function AuditPage() {
  return <Typography.Title level={2}>AuditPage</Typography.Title>;
}
