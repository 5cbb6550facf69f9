pub mod header;
pub mod wallet_menu;
