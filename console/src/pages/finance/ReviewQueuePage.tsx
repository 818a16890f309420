import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function ReviewQueuePage() {
  return <Typography.Title level={2}>ReviewQueuePage</Typography.Title>;
}
