//! `selaras providers`: the built-in providers and the settings in effect
//! (config file and flags merged). Keys are shown only as set or unset.

use clap::Args;

use crate::config::Config;
use crate::error::Result;
use crate::translate::PROVIDERS;

use super::translate::ServiceArgs;

#[derive(Debug, Args)]
pub struct ProvidersArgs {
    #[command(flatten)]
    pub service: ServiceArgs,
}

pub fn run(args: &ProvidersArgs) -> Result<()> {
    let effective = args.service.resolve(false)?;
    let config = Config::load(args.service.config.as_deref())?;
    let key_state = |var: &Option<String>| match var {
        Some(v) if std::env::var(v).is_ok_and(|k| !k.trim().is_empty()) => {
            format!("key in ${v}: set")
        }
        Some(v) => format!("key in ${v}: unset"),
        None => "no key".to_string(),
    };

    let mut out = String::from("providers:\n");
    for (name, about) in PROVIDERS {
        let mark = if *name == effective.provider {
            "*"
        } else {
            " "
        };
        out.push_str(&format!("{mark} {name:<15} {about}\n"));
        if let Some(section) = config.file.providers.get(*name) {
            let endpoint = section.endpoint.as_deref().unwrap_or("default endpoint");
            out.push_str(&format!(
                "  {:<15} {endpoint}; {}\n",
                "",
                key_state(&section.api_key_env)
            ));
        }
    }
    let s = &effective.settings;
    let rate = if effective.spacing.is_zero() {
        "no rate limit".to_string()
    } else {
        format!(
            "at most one request every {:.3} s",
            effective.spacing.as_secs_f64()
        )
    };
    out.push_str(&format!(
        "\nin effect:\n  provider     {}\n  endpoint     {}\n  key          {}\n  languages    {} -> {}\n  \
         concurrency  {}\n  timeout      {} s\n  retries      {}\n  rate         {rate}\n  \
         request size {}\n  cache        {}\n  config       {}\n",
        effective.provider,
        s.endpoint.as_ref().map_or("the provider's default", |u| u.as_str()),
        key_state(&effective.api_key_env),
        s.source,
        s.target,
        effective.concurrency,
        effective.timeout.as_secs_f64(),
        effective.retries,
        effective
            .characters_per_request
            .map_or("the provider's limit".to_string(), |n| format!("at most {n} bytes")),
        effective
            .cache
            .as_ref()
            .map_or("none (--no-cache)".to_string(), |p| p.display().to_string()),
        effective
            .config
            .as_ref()
            .map_or("none found".to_string(), |p| p.display().to_string()),
    ));
    print!("{out}");
    Ok(())
}
