import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function LeadPage() {
  return <Typography.Title level={2}>LeadPage</Typography.Title>;
}
