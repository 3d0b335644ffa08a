//! The `azure_identity` adapter (feature `azure-identity`) with a fake
//! `TokenCredential`: asked for the cloud's scope, its token is what the API sees.

use std::sync::{Arc, Mutex};

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use generated::client::azure::AzureCredential;
use generated::client::{Client, Cloud};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Hands out one token and remembers the scopes it was asked for.
#[derive(Debug, Default)]
struct Fake {
    asked: Mutex<Vec<Vec<String>>>,
}

#[async_trait::async_trait]
impl TokenCredential for Fake {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.asked
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| (*s).to_owned()).collect());
        let expires =
            azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1);
        Ok(AccessToken::new("from-azure-identity", expires))
    }
}

#[tokio::test]
async fn an_azure_identity_credential_signs_requests() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/deviceManagement/cartToClassAssociations/1"))
        .and(header("authorization", "Bearer from-azure-identity"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "1" })))
        .expect(1)
        .mount(&api)
        .await;
    let fake = Arc::new(Fake::default());
    let cloud = Cloud::UsGovernment;
    let credential = AzureCredential::new(&cloud, fake.clone());
    let client = Client::with_base_url(&format!("{}/beta", api.uri()), credential).unwrap();
    let request = generated::api()
        .device_management()
        .cart_to_class_associations()
        .id("1")
        .get();
    client.send(request).await.unwrap();
    assert_eq!(
        *fake.asked.lock().unwrap(),
        [vec!["https://graph.microsoft.us/.default".to_owned()]]
    );
}
