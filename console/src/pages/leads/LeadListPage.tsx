import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function LeadListPage() {
  return <Typography.Title level={2}>LeadListPage</Typography.Title>;
}
