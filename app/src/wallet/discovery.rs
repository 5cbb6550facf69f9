//! Finding wallets: EIP-6963 (`eip6963:announceProvider`) with `window.ethereum` as a fallback.

use wasm_bindgen::prelude::*;

use super::eip1193::Eip1193Provider;

/// What a wallet says about itself (EIP-6963 `EIP6963ProviderInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletInfo {
    /// Unique per page load; used as the key.
    pub uuid: String,
    pub name: String,
    /// A `data:image/…` URI; anything else is dropped so a wallet can't make the page load URLs.
    pub icon: Option<String>,
    /// Reverse-DNS id, stable across loads; remembered to reconnect the same wallet.
    pub rdns: String,
}

/// The uuid/rdns given to the legacy `window.ethereum` provider.
pub const INJECTED: &str = "injected";

/// A discovered wallet and its provider.
pub struct AnnouncedWallet {
    pub info: WalletInfo,
    pub provider: Eip1193Provider,
}

fn string_field(object: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(object, &key.into()).ok().and_then(|v| v.as_string())
}

fn read_announcement(event: &web_sys::Event) -> Option<AnnouncedWallet> {
    let detail = event.dyn_ref::<web_sys::CustomEvent>()?.detail();
    let info = js_sys::Reflect::get(&detail, &"info".into()).ok()?;
    let provider = js_sys::Reflect::get(&detail, &"provider".into()).ok()?;
    if !provider.is_object() {
        return None;
    }
    let uuid = string_field(&info, "uuid")?;
    let name = string_field(&info, "name").unwrap_or_else(|| "Unnamed wallet".to_owned());
    let rdns = string_field(&info, "rdns").unwrap_or_else(|| uuid.clone());
    let icon = string_field(&info, "icon").filter(|icon| icon.starts_with("data:image/"));
    Some(AnnouncedWallet { info: WalletInfo { uuid, name, icon, rdns }, provider: provider.unchecked_into() })
}

/// Listens for wallet announcements for the page's lifetime and asks wallets to announce.
/// Wallets that load later announce themselves too, and reach `on_announce` then.
pub fn discover(on_announce: impl Fn(AnnouncedWallet) + 'static) {
    let window = web_sys::window().expect("a browser window");
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        if let Some(wallet) = read_announcement(&event) {
            on_announce(wallet);
        }
    });
    let _ = window.add_event_listener_with_callback("eip6963:announceProvider", listener.as_ref().unchecked_ref());
    listener.forget();
    if let Ok(request) = web_sys::Event::new("eip6963:requestProvider") {
        let _ = window.dispatch_event(&request);
    }
}

/// The legacy injected provider, if the page has one.
pub fn injected() -> Option<AnnouncedWallet> {
    let window = web_sys::window()?;
    let ethereum = js_sys::Reflect::get(&window, &"ethereum".into()).ok()?;
    if !ethereum.is_object() {
        return None;
    }
    Some(AnnouncedWallet {
        info: WalletInfo {
            uuid: INJECTED.to_owned(),
            name: "Browser wallet".to_owned(),
            icon: None,
            rdns: INJECTED.to_owned(),
        },
        provider: ethereum.unchecked_into(),
    })
}
