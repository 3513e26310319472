import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useSession } from './auth/session';
import { AppFrame } from './components/AppFrame';
import { ComingSoon } from './components/ComingSoon';
import { RequirePermission } from './components/RequirePermission';
import { NAV } from './lib/permissions';
import { SignInPage } from './pages/SignIn';
import { HomePage } from './pages/Home';
import { PartiesListPage } from './pages/PartiesList';
import { PartyPage } from './pages/Party';
import { PartyCreatePage, PartyEditPage } from './pages/PartyForm';
import { UsersPage } from './pages/Users';
import { AuditPage } from './pages/Audit';
import { NotFoundPage } from './pages/NotFound';
import { RecordPlaceholder } from './pages/RecordPlaceholder';
import { ApprovalsPage } from './pages/Approvals';
import { StatementPage } from './pages/Statement';
import { RevolvingFundsPage } from './pages/RevolvingFunds';
import { DepositsPage } from './pages/Deposits';
import { DrawersPage } from './pages/Drawers';
import { CounterPage } from './pages/Counter';
import { LockboxImportPage, LockboxPage } from './pages/Lockbox';
import { BatchExceptionsPage } from './pages/BatchExceptions';
import { BatchesPage } from './pages/Batches';
import { BatchPage } from './pages/Batch';
import { MailLogPage } from './pages/MailLog';
import { QueuesPage } from './pages/Queues';
import { CitationsPage } from './pages/Citations';
import { CitationPage } from './pages/Citation';
import { CitationImportPage, CitationScofflawsPage } from './pages/CitationImport';
import { ReviewQueuePage } from './pages/citations/ReviewQueue';
import { HearingCalendarPage } from './pages/citations/HearingCalendar';
import { DmvExchangePage } from './pages/citations/DmvExchange';
import { NoticesPage } from './pages/citations/Notices';
import { PlanEnrolPage, PlanPage, PlansPage } from './pages/citations/Plans';
import { BillingAccountsPage } from './pages/billing/Accounts';
import { BillingAccountPage } from './pages/billing/Account';
import { ReadExceptionsPage } from './pages/billing/ReadExceptions';
import { BillingRoutesPage } from './pages/billing/Routes';
import { WhatIfPage } from './pages/billing/WhatIf';
import { BillRunsPage } from './pages/billing/Runs';
import { BillPage } from './pages/billing/Bill';
import { PenaltiesPage } from './pages/billing/Penalties';
import { BillNoticesPage } from './pages/billing/Notices';

// Reports carry ECharts: loaded when first opened, not with every page.
const ReportsPage = lazy(() => import('./pages/Reports').then((m) => ({ default: m.ReportsPage })));

function RequireSession() {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) {
    return (
      <Center h="100vh" role="status" aria-label="Loading">
        <Loader />
      </Center>
    );
  }
  if (user === null) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <AppFrame>
      <Outlet />
    </AppFrame>
  );
}

const nav = (to: string) => NAV.find((n) => n.to === to)!;
const MAIL_LOCKBOX = { label: 'Lockbox imports', anyOf: ['batch.post'], refusal: 'import lockbox files' };
const MAIL_BATCHES = { label: 'Remittance batches', anyOf: ['batch.post'], refusal: 'key or post remittance batches' };

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<HomePage />} />
        <Route path="/parties" element={<RequirePermission item={nav('/parties')}><PartiesListPage /></RequirePermission>} />
        <Route path="/parties/new" element={<RequirePermission item={nav('/parties/new')}><PartyCreatePage /></RequirePermission>} />
        <Route path="/parties/:id" element={<RequirePermission item={nav('/parties')}><PartyPage /></RequirePermission>} />
        <Route path="/parties/:id/edit" element={<RequirePermission item={{ ...nav('/parties/new'), refusal: 'edit customers' }}><PartyEditPage /></RequirePermission>} />
        <Route path="/parties/:id/statement" element={<RequirePermission item={{ label: 'Statement', anyOf: ['ledger.read'], refusal: 'see statements of account' }}><StatementPage /></RequirePermission>} />
        <Route path="/approvals" element={<RequirePermission item={nav('/approvals')}><ApprovalsPage /></RequirePermission>} />
        <Route path="/reports" element={<RequirePermission item={nav('/reports')}><Suspense fallback={<Loader aria-label="Loading reports" />}><ReportsPage /></Suspense></RequirePermission>} />
        <Route path="/users" element={<RequirePermission item={nav('/users')}><UsersPage /></RequirePermission>} />
        <Route path="/audit" element={<RequirePermission item={nav('/audit')}><AuditPage /></RequirePermission>} />
        <Route path="/revolving-funds" element={<RequirePermission item={nav('/revolving-funds')}><RevolvingFundsPage /></RequirePermission>} />
        <Route path="/deposits" element={<RequirePermission item={nav('/deposits')}><DepositsPage /></RequirePermission>} />
        <Route path="/drawers" element={<RequirePermission item={nav('/drawers')}><DrawersPage /></RequirePermission>} />
        <Route path="/counter" element={<RequirePermission item={nav('/counter')}><CounterPage /></RequirePermission>} />
        <Route path="/lockbox" element={<RequirePermission item={MAIL_LOCKBOX}><LockboxPage /></RequirePermission>} />
        <Route path="/lockbox/:id" element={<RequirePermission item={MAIL_LOCKBOX}><LockboxImportPage /></RequirePermission>} />
        <Route path="/remittance/exceptions" element={<RequirePermission item={{ label: 'Exception queue', anyOf: ['payment.transfer'], refusal: 'resolve remittance exceptions' }}><BatchExceptionsPage /></RequirePermission>} />
        <Route path="/batches" element={<RequirePermission item={MAIL_BATCHES}><BatchesPage /></RequirePermission>} />
        <Route path="/batches/:id" element={<RequirePermission item={MAIL_BATCHES}><BatchPage /></RequirePermission>} />
        <Route path="/mail" element={<RequirePermission item={nav('/mail')}><MailLogPage /></RequirePermission>} />
        <Route path="/queues" element={<RequirePermission item={nav('/queues')}><QueuesPage /></RequirePermission>} />
        <Route path="/citations" element={<RequirePermission item={nav('/citations')}><CitationsPage /></RequirePermission>} />
        <Route path="/citations/import" element={<RequirePermission item={{ label: 'Citation imports', anyOf: ['citation.write', 'citation.escalate'], refusal: 'import citations or run the escalation' }}><CitationImportPage /></RequirePermission>} />
        <Route path="/citations/scofflaws" element={<RequirePermission item={nav('/citations')}><CitationScofflawsPage /></RequirePermission>} />
        <Route path="/citations/reviews" element={<RequirePermission item={nav('/citations/reviews')}><ReviewQueuePage /></RequirePermission>} />
        <Route path="/citations/hearings" element={<RequirePermission item={nav('/citations/hearings')}><HearingCalendarPage /></RequirePermission>} />
        <Route path="/citations/dmv" element={<RequirePermission item={nav('/citations/dmv')}><DmvExchangePage /></RequirePermission>} />
        <Route path="/citations/notices" element={<RequirePermission item={nav('/citations')}><NoticesPage /></RequirePermission>} />
        <Route path="/citations/plans" element={<RequirePermission item={nav('/citations')}><PlansPage /></RequirePermission>} />
        <Route path="/citations/plans/new" element={<RequirePermission item={{ label: 'Payment plan enrolment', anyOf: ['citation.write'], refusal: 'enrol citations in a payment plan' }}><PlanEnrolPage /></RequirePermission>} />
        <Route path="/citations/plans/:id" element={<RequirePermission item={nav('/citations')}><PlanPage /></RequirePermission>} />
        <Route path="/citations/:number" element={<RequirePermission item={nav('/citations')}><CitationPage /></RequirePermission>} />
        <Route path="/billing" element={<RequirePermission item={nav('/billing')}><BillingAccountsPage /></RequirePermission>} />
        <Route path="/billing/accounts/:number" element={<RequirePermission item={nav('/billing')}><BillingAccountPage /></RequirePermission>} />
        <Route path="/billing/read-exceptions" element={<RequirePermission item={nav('/billing')}><ReadExceptionsPage /></RequirePermission>} />
        <Route path="/billing/routes" element={<RequirePermission item={{ label: 'Routes and read imports', anyOf: ['billing.reads'], refusal: 'export routes or import reads' }}><BillingRoutesPage /></RequirePermission>} />
        <Route path="/billing/runs" element={<RequirePermission item={nav('/billing')}><BillRunsPage /></RequirePermission>} />
        <Route path="/billing/notices" element={<RequirePermission item={nav('/billing')}><BillNoticesPage /></RequirePermission>} />
        <Route path="/billing/penalties" element={<RequirePermission item={nav('/billing')}><PenaltiesPage /></RequirePermission>} />
        <Route path="/billing/bills/:id" element={<RequirePermission item={nav('/billing')}><BillPage /></RequirePermission>} />
        <Route path="/billing/what-if" element={<RequirePermission item={nav('/billing')}><WhatIfPage /></RequirePermission>} />
        {NAV.filter((n) => n.comingWith).map((n) => (
          <Route key={n.to} path={n.to} element={<RequirePermission item={n}><ComingSoon title={n.label} feature={n.comingWith!} /></RequirePermission>} />
        ))}
        <Route path="/:kind/:id" element={<RecordPlaceholder />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
