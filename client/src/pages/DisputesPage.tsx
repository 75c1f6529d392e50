import { DISPUTE } from '../workflows/kinds.js';
import { WorkflowScreen } from '../workflows/WorkflowScreen.js';

export default function DisputesPage({ params }: { params: Record<string, string> }) {
  return <WorkflowScreen def={DISPUTE} params={params} />;
}
