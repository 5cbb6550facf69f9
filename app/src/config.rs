//! Loads `config.json` from beside `index.html` (see `assay_core::config`).

use assay_core::config::{CONFIG_FILE, ConfigError, RuntimeConfig};
use gloo_net::http::Request;

/// The outcome of loading the runtime configuration.
#[derive(Clone, Debug)]
pub enum ConfigLoad {
    /// The file was there and valid.
    Loaded(RuntimeConfig),
    /// No file next to the page: the local-stack defaults are in use, and the page says so.
    Missing { defaults: RuntimeConfig, detail: String },
    /// The file is there but wrong; the app refuses to start rather than guess a network.
    Invalid(ConfigError),
}

impl ConfigLoad {
    /// The configuration to run with, if the app may start.
    pub fn config(&self) -> Option<&RuntimeConfig> {
        match self {
            ConfigLoad::Loaded(config) | ConfigLoad::Missing { defaults: config, .. } => Some(config),
            ConfigLoad::Invalid(_) => None,
        }
    }
}

/// Fetches and parses the configuration. The URL is relative, so under `/ipfs/<cid>/` the file
/// comes from the same directory as the page.
pub async fn load() -> ConfigLoad {
    let response = match Request::get(CONFIG_FILE).send().await {
        Ok(response) => response,
        Err(error) => {
            return ConfigLoad::Missing {
                defaults: RuntimeConfig::default(),
                detail: format!("it could not be fetched ({error})"),
            };
        }
    };
    if response.status() == 404 {
        return ConfigLoad::Missing {
            defaults: RuntimeConfig::default(),
            detail: "the server answered 404".to_owned(),
        };
    }
    if !response.ok() {
        return ConfigLoad::Invalid(ConfigError::Malformed(format!(
            "the server answered {} {} for {CONFIG_FILE}",
            response.status(),
            response.status_text()
        )));
    }
    match response.text().await {
        Ok(text) => match RuntimeConfig::from_json(&text) {
            Ok(config) => ConfigLoad::Loaded(config),
            Err(error) => ConfigLoad::Invalid(error),
        },
        Err(error) => ConfigLoad::Invalid(ConfigError::Malformed(error.to_string())),
    }
}
