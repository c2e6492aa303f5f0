import { NotificationSchema1764600000000 } from './1764600000000-notification-schema';

/** Every migration of the notification schema, oldest first. */
export const NOTIFICATION_MIGRATIONS = [NotificationSchema1764600000000];
