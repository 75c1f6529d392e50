import { Role } from '@xietong/shared';
import { useMe } from '../app/session.js';
import { REVIEW } from '../workflows/kinds.js';
import { WorkflowScreen } from '../workflows/WorkflowScreen.js';

export default function ReviewsPage({ params }: { params: Record<string, string> }) {
  const me = useMe();
  return <WorkflowScreen def={REVIEW} params={params} queue={me.roles.includes(Role.Prosecutor)} />;
}
