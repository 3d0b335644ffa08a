//! Any credential of `azure_identity` (cargo feature `azure-identity`): the
//! `TokenCredential`s Rust users of Azure already have (managed identity, workload
//! identity, the Azure CLI's sign-in...) as a [`TokenSource`].
//!
//! ```no_run
//! # fn run(credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>) -> Result<(), generated::client::ClientError> {
//! use generated::client::azure::AzureCredential;
//! use generated::client::{Client, Cloud};
//! let client = Client::for_cloud(&Cloud::Global, AzureCredential::new(&Cloud::Global, credential))?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;

use super::{Cloud, Secret, TokenFuture, TokenSource};

/// An `azure_identity` credential asked for the cloud's Graph scopes. The credential
/// keeps and refreshes its tokens itself, as those of `azure_identity` do.
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
}

impl AzureCredential {
    /// Asks for the cloud's `/.default` scope (the app's application permissions, or a
    /// person's consented ones).
    pub fn new(cloud: &Cloud, credential: Arc<dyn TokenCredential>) -> AzureCredential {
        AzureCredential {
            credential,
            scopes: vec![cloud.default_scope()],
        }
    }

    /// Asks for these delegated scopes instead, written for the cloud's Graph root.
    pub fn scopes(mut self, cloud: &Cloud, scopes: &[&str]) -> AzureCredential {
        self.scopes = cloud.delegated_scopes(scopes);
        self
    }
}

impl fmt::Debug for AzureCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureCredential")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl TokenSource for AzureCredential {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
            let token = self.credential.get_token(&scopes, None).await?;
            Ok(Secret::new(token.token.secret()))
        })
    }
}
