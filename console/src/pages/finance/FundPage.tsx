import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function FundPage() {
  return <Typography.Title level={2}>FundPage</Typography.Title>;
}
