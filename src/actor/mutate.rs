//! Carries out a [`Mutation`] through the client.

use crate::api::client::Client;
use crate::api::error::ApiError;

use super::protocol::{Mutation, Outcome};

/// Sends `m` and returns the server's answer.
pub async fn run(client: &Client, m: &Mutation) -> Result<Outcome, ApiError> {
    use Outcome::{Bulk, Item};
    Ok(match m {
        Mutation::Create { collection, items } => {
            Bulk(client.create_many(*collection, items, false).await?)
        }
        Mutation::Update { collection, items } => {
            Bulk(client.update_many(*collection, items, false).await?)
        }
        Mutation::UpdateOne {
            collection,
            id,
            changes,
        } => Item(client.update_one(*collection, id, changes).await?),
        Mutation::Remove { collection, ids } => Bulk(client.remove_many(*collection, ids).await?),
        Mutation::Upsert {
            collection,
            items,
            config,
        } => Bulk(
            client
                .create_or_update_many(*collection, items, config, false)
                .await?,
        ),
        Mutation::CancelTasks { ids, reason } => {
            Bulk(client.cancel_tasks(ids, reason.as_deref()).await?)
        }
        Mutation::MoveTasks { ids, date } => Bulk(client.move_tasks(ids, *date).await?),
        Mutation::ReattemptTasks { ids, date } => Bulk(client.reattempt_tasks(ids, *date).await?),
        Mutation::CreateReturns { ids, date } => Bulk(client.create_returns(ids, *date).await?),
        Mutation::StartTracking { ids } => Bulk(client.start_tracking(ids).await?),
        Mutation::ClearRoutes { ids } => Bulk(client.clear_routes(ids).await?),
        Mutation::LockRoutes { ids } => Bulk(client.lock_routes(ids).await?),
        Mutation::UnlockRoutes { ids } => Bulk(client.unlock_routes(ids).await?),
        Mutation::SetPlannedEtas { ids } => Bulk(client.set_planned_etas(ids).await?),
        Mutation::SetOrder { route, tasks } => Item(client.set_order(route, tasks).await?),
        Mutation::ScheduleRouteTemplates { ids, dates } => {
            Bulk(client.schedule_route_templates(ids, dates).await?)
        }
        Mutation::ScheduleTaskTemplates { ids, dates } => {
            Bulk(client.schedule_task_templates(ids, dates).await?)
        }
        Mutation::AddTasksToGroup {
            group,
            tasks,
            keep_assignee,
        } => Item(
            client
                .add_tasks_to_group(group, tasks, *keep_assignee)
                .await?,
        ),
    })
}

/// Whether a failed mutation certainly changed nothing, so cached lists stay valid.
/// Everything else (success, a broken connection, a timeout, a server error) may have
/// changed data, and the lists it touches are refetched.
pub fn certainly_unchanged(result: &Result<Outcome, ApiError>) -> bool {
    matches!(
        result,
        Err(ApiError::Unauthorized { .. }
            | ApiError::Forbidden { .. }
            | ApiError::NotFound { .. }
            | ApiError::Validation { .. }
            | ApiError::Conflict { .. }
            | ApiError::ReadOnly(_)
            | ApiError::Invalid(_))
    )
}
