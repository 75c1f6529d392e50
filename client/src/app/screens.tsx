import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  ExceptionOutlined,
  EyeInvisibleOutlined,
  MessageOutlined,
  SafetyOutlined,
  SettingOutlined,
  InboxOutlined,
  SendOutlined,
  UnorderedListOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  CATALOGUE_AMEND_ROLES,
  DISPUTE_PARTY_ROLES,
  REFERRAL_RECEIVER_ROLES,
  REFERRAL_SENDER_ROLES,
  Role,
  type Me,
} from '@xietong/shared';
import type { MessageKey } from './i18n.js';

/**
 * The screens of the app, one row each: its route, the roles that use it, its menu entry, and its
 * code (loaded on first visit: each screen is its own bundle). A screen is added here when its
 * server side exists: channels, the review queue, interviews, disputes, court enforcement, the
 * catalogue, the dashboard and admin come with their issues, and until then appear nowhere.
 */
export interface Screen {
  key: string;
  path: string;
  /** in the menu (detail pages are reached from lists) */
  menu?: { label: MessageKey; icon: ReactNode };
  /** 'all': every signed-in user */
  roles: readonly Role[] | 'all';
  Component: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
}

const InboxPage = lazy(() => import('../pages/InboxPage.js'));
const OutboxPage = lazy(() => import('../pages/OutboxPage.js'));
const SendPage = lazy(() => import('../pages/SendPage.js'));
const ReferralPage = lazy(() => import('../pages/ReferralPage.js'));
const ChannelsPage = lazy(() => import('../pages/ChannelsPage.js'));
const ReviewsPage = lazy(() => import('../pages/ReviewsPage.js'));
const InterviewsPage = lazy(() => import('../pages/InterviewsPage.js'));
const DisputesPage = lazy(() => import('../pages/DisputesPage.js'));
const EnforcementsPage = lazy(() => import('../pages/EnforcementsPage.js'));
const DashboardPage = lazy(() => import('../pages/DashboardPage.js'));
const CataloguePage = lazy(() => import('../pages/CataloguePage.js'));
const CatalogueItemPage = lazy(() => import('../pages/CatalogueItemPage.js'));
const CatalogueImportPage = lazy(() => import('../pages/CatalogueImportPage.js'));
const BlindSpotsPage = lazy(() => import('../pages/BlindSpotsPage.js'));
const NotificationsPage = lazy(() => import('../pages/NotificationsPage.js'));
const AdminPage = lazy(() => import('../pages/AdminPage.js'));

/** A workflow's list in the menu and its detail page, reached from the list or a link. */
function workflow(
  base: string,
  label: MessageKey,
  icon: ReactNode,
  Component: Screen['Component'],
  roles: readonly Role[],
): Screen[] {
  return [
    { key: base, path: `/${base}`, menu: { label, icon }, roles, Component },
    { key: `${base}-detail`, path: `/${base}/:id`, roles: 'all', Component },
  ];
}

export const SCREENS: readonly Screen[] = [
  // Who receives and who sends come from the lifecycle table's roles, not a second list.
  {
    key: 'inbox',
    path: '/inbox',
    menu: { label: 'menu.inbox', icon: <InboxOutlined /> },
    roles: REFERRAL_RECEIVER_ROLES,
    Component: InboxPage,
  },
  {
    key: 'send',
    path: '/send',
    menu: { label: 'menu.send', icon: <SendOutlined /> },
    roles: REFERRAL_SENDER_ROLES,
    Component: SendPage,
  },
  {
    key: 'outbox',
    path: '/outbox',
    menu: { label: 'menu.outbox', icon: <UnorderedListOutlined /> },
    roles: REFERRAL_SENDER_ROLES,
    Component: OutboxPage,
  },
  {
    key: 'channels',
    path: '/channels',
    menu: { label: 'menu.channels', icon: <MessageOutlined /> },
    // Liaison officers live here; everyone else on a matter talks in its channel too.
    roles: [Role.LiaisonOfficer, Role.CaseOfficer, Role.AgencyHead, Role.TownshipStaff, Role.Auditor],
    Component: ChannelsPage,
  },
  { key: 'channel', path: '/channels/:id', roles: 'all', Component: ChannelsPage },
  ...workflow('reviews', 'menu.reviews', <AuditOutlined />, ReviewsPage, [
    Role.Prosecutor,
    Role.AgencyHead,
    Role.LegalReviewer,
  ]),
  ...workflow('interviews', 'menu.interviews', <CalendarOutlined />, InterviewsPage, [
    Role.CaseOfficer,
    Role.LiaisonOfficer,
    Role.AgencyHead,
  ]),
  ...workflow('disputes', 'menu.disputes', <ExceptionOutlined />, DisputesPage, [
    ...DISPUTE_PARTY_ROLES,
    Role.GuidanceArbiter,
  ]),
  ...workflow('enforcements', 'menu.enforcements', <SafetyOutlined />, EnforcementsPage, [
    Role.CaseOfficer,
    Role.LegalReviewer,
    Role.AgencyHead,
    Role.CourtClerk,
  ]),
  {
    key: 'dashboard',
    path: '/dashboard',
    menu: { label: 'menu.dashboard', icon: <BarChartOutlined /> },
    // The statistics.read policy row: agency heads for their units, the guidance office and oversight county-wide.
    roles: [Role.AgencyHead, Role.GuidanceArbiter, Role.Auditor, Role.SystemAdmin],
    Component: DashboardPage,
  },
  {
    key: 'catalogue',
    path: '/catalogue',
    menu: { label: 'menu.catalogue', icon: <BookOutlined /> },
    // Everyone reads the catalogue (catalogue.read); only arbiters amend and import it.
    roles: 'all',
    Component: CataloguePage,
  },
  { key: 'catalogue-item', path: '/catalogue/items/:code', roles: 'all', Component: CatalogueItemPage },
  {
    key: 'blind-spots',
    path: '/catalogue/blind-spots',
    menu: { label: 'menu.blindSpots', icon: <EyeInvisibleOutlined /> },
    // Everyone may read it (catalogue.read); in the menu of those who settle or answer for boundaries.
    roles: [Role.GuidanceArbiter, Role.AgencyHead, Role.SystemAdmin, Role.Auditor],
    Component: BlindSpotsPage,
  },
  {
    key: 'catalogue-import',
    path: '/catalogue/import',
    menu: { label: 'menu.catalogueImport', icon: <UploadOutlined /> },
    roles: CATALOGUE_AMEND_ROLES,
    Component: CatalogueImportPage,
  },
  {
    key: 'admin',
    // Not /admin: the server owns that prefix (the queue dashboard), so a reload there would not reach the app.
    path: '/manage',
    menu: { label: 'menu.admin', icon: <SettingOutlined /> },
    // The user.list policy row: agency admins their own agency, system admins and auditors all (auditors read only).
    roles: [Role.AgencyAdmin, Role.SystemAdmin, Role.Auditor],
    Component: AdminPage,
  },
  {
    key: 'notifications',
    path: '/notifications',
    menu: { label: 'menu.notifications', icon: <BellOutlined /> },
    roles: 'all',
    Component: NotificationsPage,
  },
  { key: 'referral', path: '/referrals/:id', roles: 'all', Component: ReferralPage },
];

export const screensFor = (user: Me): Screen[] =>
  SCREENS.filter((s) => s.roles === 'all' || s.roles.some((r) => user.roles.includes(r)));
