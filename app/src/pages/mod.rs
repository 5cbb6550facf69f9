//! One module per route, as in Leptos' hackernews example; a route's panels live in its folder.
//! Components shared by several pages are in `ui::components`.

pub mod about;
pub mod browse;
pub mod creator;
pub mod dashboard;
pub mod library;
pub mod list_model;
pub mod model;
pub mod moderation;
pub mod not_found;
pub mod parts;
