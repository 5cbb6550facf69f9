//! Loads `config.json` from beside `index.html` (see `assay_core::config`).

use assay_core::config::{CONFIG_FILE, ConfigError, RuntimeConfig};
use gloo_net::http::Request;

use crate::early::{self, Age, Answer};

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
    // Asked by the page's start script while the wasm loaded (`app/early.js`), if it was.
    if let Some(answer) = early::take(CONFIG_FILE, Age::Any) {
        return match answer.await {
            Answer::Ok(text) => read(&text),
            Answer::Status(404, _) => missing("the server answered 404".to_owned()),
            Answer::Status(status, words) => malformed(status, &words),
            Answer::Failed(error) => missing(format!("it could not be fetched ({error})")),
        };
    }
    let response = match Request::get(CONFIG_FILE).send().await {
        Ok(response) => response,
        Err(error) => return missing(format!("it could not be fetched ({error})")),
    };
    if response.status() == 404 {
        return missing("the server answered 404".to_owned());
    }
    if !response.ok() {
        return malformed(response.status(), &response.status_text());
    }
    match response.text().await {
        Ok(text) => read(&text),
        Err(error) => ConfigLoad::Invalid(ConfigError::Malformed(error.to_string())),
    }
}

fn read(text: &str) -> ConfigLoad {
    match RuntimeConfig::from_json(text) {
        Ok(config) => ConfigLoad::Loaded(config),
        Err(error) => ConfigLoad::Invalid(error),
    }
}

fn missing(detail: String) -> ConfigLoad {
    ConfigLoad::Missing { defaults: RuntimeConfig::default(), detail }
}

fn malformed(status: u16, words: &str) -> ConfigLoad {
    ConfigLoad::Invalid(ConfigError::Malformed(format!("the server answered {status} {words} for {CONFIG_FILE}")))
}
