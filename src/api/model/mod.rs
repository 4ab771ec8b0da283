//! Serde types for every eLogii entity. Every type keeps unknown fields in `extra`.

pub mod bulk;
pub mod common;
pub mod customer;
pub mod depot;
pub mod driver;
pub mod form;
pub mod pod;
pub mod route;
pub mod schedule_exception;
pub mod task;
pub mod templates;
pub mod validate;
pub mod vehicle;
pub mod zone;

pub use bulk::{
    AddTasksRequest, BulkResult, IdsRequest, ImportConfig, ItemError, ItemsRequest, MatchOn,
    SetOrderRequest,
};
pub use common::{
    Coordinates, Date, DateError, DateRange, EntityRef, Extra, Location, Minutes, TimeWindow,
    fmt_minutes, parse_minutes,
};
pub use customer::{Customer, CustomerLocation};
pub use depot::Depot;
pub use driver::{Break, DaySchedule, Driver, Schedule};
pub use form::{Form, FormSubmission};
pub use pod::{PodAction, PodFile, ProofOfDelivery};
pub use route::{Route, RouteLeg};
pub use schedule_exception::{ExceptionOverrides, ScheduleException};
pub use task::{Assignee, Assignment, Item, PickupSegment, Task, TaskState};
pub use templates::{
    RouteTemplate, RouteTemplateGroup, SchedulePattern, TaskTemplate, TaskTemplateGroup,
};
pub use validate::{FieldProblem, Problems, Validate};
pub use vehicle::Vehicle;
pub use zone::Zone;

use serde::{Serialize, de::DeserializeOwned};

use crate::api::paths::Collection;

/// Weekday names as the API writes them.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// An entity stored in a collection.
pub trait Entity: Serialize + DeserializeOwned + Validate + Clone + Send + Sync + 'static {
    /// The collection it lives in.
    const COLLECTION: Collection;
    /// Server id.
    fn id(&self) -> Option<&str>;
    /// Readable UID.
    fn uid(&self) -> Option<&str>;
}

macro_rules! entity {
    ($t:ty, $c:ident) => {
        impl Entity for $t {
            const COLLECTION: Collection = Collection::$c;
            fn id(&self) -> Option<&str> {
                self.id.as_deref()
            }
            fn uid(&self) -> Option<&str> {
                self.uid.as_deref()
            }
        }
    };
}

entity!(Task, Tasks);
entity!(Driver, Drivers);
entity!(Customer, Customers);
entity!(Depot, Depots);
entity!(Vehicle, Vehicles);
entity!(Zone, Zones);
entity!(ScheduleException, ScheduleExceptions);
entity!(RouteTemplateGroup, RouteTemplateGroups);
entity!(TaskTemplateGroup, TaskTemplateGroups);
entity!(Form, Forms);
entity!(FormSubmission, FormSubmissions);
entity!(Route, Routes);

impl Validate for Route {
    fn validate(&self, _p: &mut Problems, _path: &str) {}
}
