pub mod activity;
pub mod header;
pub mod listing_card;
pub mod markdown;
pub mod split_table;
pub mod toasts;
pub mod wallet_menu;
