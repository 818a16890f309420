import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function NewLeadPage() {
  return <Typography.Title level={2}>NewLeadPage</Typography.Title>;
}
