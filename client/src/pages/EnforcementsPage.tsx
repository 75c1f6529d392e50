import { ENFORCEMENT } from '../workflows/kinds.js';
import { WorkflowScreen } from '../workflows/WorkflowScreen.js';

export default function EnforcementsPage({ params }: { params: Record<string, string> }) {
  return <WorkflowScreen def={ENFORCEMENT} params={params} />;
}
