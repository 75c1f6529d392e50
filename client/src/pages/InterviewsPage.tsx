import { INTERVIEW } from '../workflows/kinds.js';
import { WorkflowScreen } from '../workflows/WorkflowScreen.js';

export default function InterviewsPage({ params }: { params: Record<string, string> }) {
  return <WorkflowScreen def={INTERVIEW} params={params} />;
}
