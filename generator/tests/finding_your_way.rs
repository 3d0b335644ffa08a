//! The README's "Finding your way": everyday tasks written as a user who reads the
//! Graph docs would guess them, from the URL in the docs to the call, each run against
//! a wiremock server on 127.0.0.1 that checks what is sent.

#[path = "support/readme.rs"]
mod readme_blocks;

use generated::client::StaticToken;
use wiremock::matchers::{body_bytes, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

// From here on, the tasks in the README.
use futures_util::TryStreamExt as _;
use generated::client::{Client, ClientError};
use generated::types::{
    Attendee, DateTimeTimeZone, EmailAddress, Event, ItemBody, Message, Recipient, UserSendMailBody,
};
use generated::{Nullable, Prefer, api, properties};

/// `GET /me`: my profile.
async fn my_profile(client: &Client) -> Result<String, ClientError> {
    let me = client.send(api().me().get()).await?;
    Ok(me.display_name.get().cloned().unwrap_or_default())
}

/// `GET /users/{id | userPrincipalName}`: a user by UPN.
async fn user_by_upn(client: &Client, upn: &str) -> Result<Option<String>, ClientError> {
    let user = client.send(api().users().id(upn).get()).await?;
    Ok(user.mail.get().cloned())
}

/// `POST /me/sendMail`.
async fn send_mail(client: &Client, to: &str) -> Result<(), ClientError> {
    let recipient: Recipient = serde_json::from_value(serde_json::json!({
        "emailAddress": { "address": to }
    }))
    .expect("a recipient");
    let body = UserSendMailBody {
        message: Nullable::Value(Message {
            subject: "Lunch?".to_owned().into(),
            body: Nullable::Value(ItemBody {
                content: "At noon.".to_owned().into(),
                ..Default::default()
            }),
            to_recipients: vec![recipient.into()].into(),
            ..Default::default()
        }),
        save_to_sent_items: false.into(),
        ..Default::default()
    };
    client.send(api().me().send_mail().post(&body)).await
}

/// `GET /groups/{id}/members/microsoft.graph.user`: the group's members that are users
/// (a cast, as the page's examples write it), every page, counted (`$count` with
/// `ConsistencyLevel: eventual`).
async fn group_users(client: &Client, group: &str) -> Result<Vec<String>, ClientError> {
    let users = api()
        .groups()
        .id(group)
        .members()
        .cast_user()
        .list()
        .count();
    let mut names = Vec::new();
    let mut users = std::pin::pin!(client.items(users));
    while let Some(user) = users.try_next().await? {
        names.push(user.display_name.get().cloned().unwrap_or_default());
    }
    Ok(names)
}

/// `GET /users/delta`: every user, then only the changes since, from the stored
/// delta link.
async fn users_delta(
    client: &Client,
    stored: Option<&str>,
) -> Result<(usize, String), ClientError> {
    let mut request = api().users().delta().list();
    if let Some(link) = stored {
        request = request.at_link(link);
    }
    let all = client.all(request).await?;
    Ok((all.items.len(), all.delta_link.unwrap_or_default()))
}

/// `GET /me/mailFolders/{id}/messages/delta`: the inbox's messages, subjects only, every
/// page, 50 a page (the page documents `Prefer: odata.maxpagesize`, not `$top`).
async fn inbox_subjects(client: &Client) -> Result<Vec<String>, ClientError> {
    let request = api()
        .me()
        .mail_folders()
        .id("inbox")
        .messages()
        .delta()
        .list()
        .select(&[properties::Message::Subject])
        .prefer(Prefer::OdataMaxpagesize("50".to_owned()));
    let page = client.all(request).await?;
    Ok(page
        .items
        .iter()
        .filter_map(|m| m.subject.get().cloned())
        .collect())
}

/// `POST /me/events`: a meeting with attendees, its times in the organizer's zone.
async fn create_meeting(client: &Client, attendees: &[&str]) -> Result<String, ClientError> {
    let at = |time: &str| DateTimeTimeZone {
        date_time: time.to_owned().into(),
        time_zone: "Pacific Standard Time".to_owned().into(),
        ..Default::default()
    };
    let invite = |address: &&str| Attendee {
        email_address: Nullable::Value(EmailAddress {
            address: address.to_string().into(),
            ..Default::default()
        }),
        type_: "required".to_owned().into(),
        ..Default::default()
    };
    let event = Event {
        subject: "Planning".to_owned().into(),
        start: Nullable::Value(at("2026-12-01T10:00:00")),
        end: Nullable::Value(at("2026-12-01T11:00:00")),
        attendees: attendees.iter().map(invite).collect::<Vec<_>>().into(),
        ..Default::default()
    };
    let zone = Prefer::OutlookTimezone("Pacific Standard Time".to_owned());
    let created = client
        .send(api().me().events().create(&event).prefer(zone))
        .await?;
    Ok(created.id.get().cloned().unwrap_or_default())
}

/// `PUT /me/drive/items/{parent-id}:/{filename}:/content`: a small file (up to 4 MB;
/// larger ones go through an upload session, see "Files").
async fn upload_small_file(client: &Client, folder: &str) -> Result<String, ClientError> {
    let file = api()
        .me()
        .drive()
        .items()
        .id(folder)
        .path("notes.txt")
        .content();
    let item = client
        .send(file.put("text/plain", b"Buy milk.".to_vec()))
        .await?;
    Ok(item.id.get().cloned().unwrap_or_default())
}
// The end of the README's tasks.

fn client(server: &MockServer) -> Client {
    Client::with_base_url(&format!("{}/v1.0", server.uri()), StaticToken::new("t0k3n")).unwrap()
}

async fn answer(server: &MockServer, verb: &str, at: &str, status: u16, body: serde_json::Value) {
    Mock::given(method(verb))
        .and(path(at))
        .and(header("authorization", "Bearer t0k3n"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn my_profile_is_get_me() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v1.0/me",
        200,
        serde_json::json!({"displayName": "Adele"}),
    )
    .await;
    assert_eq!(my_profile(&client(&server)).await.unwrap(), "Adele");
}

#[tokio::test]
async fn a_user_by_upn_is_one_path_segment() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"mail": "adele@contoso.com"});
    answer(&server, "GET", "/v1.0/users/adele%40contoso.com", 200, body).await;
    let mail = user_by_upn(&client(&server), "adele@contoso.com")
        .await
        .unwrap();
    assert_eq!(mail.as_deref(), Some("adele@contoso.com"));
}

#[tokio::test]
async fn send_mail_posts_the_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .and(body_json(serde_json::json!({
            "message": {
                "subject": "Lunch?",
                "body": {"content": "At noon."},
                "toRecipients": [{"emailAddress": {"address": "fanny@contoso.com"}}]
            },
            "saveToSentItems": false
        })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    send_mail(&client(&server), "fanny@contoso.com")
        .await
        .unwrap();
}

#[tokio::test]
async fn group_members_follow_pages_with_the_count_header() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let at = "/v1.0/groups/g1/members/microsoft.graph.user";
    Mock::given(method("GET"))
        .and(path(at))
        .and(query_param("$skiptoken", "2"))
        .and(header("consistencylevel", "eventual"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"@odata.type": "#microsoft.graph.user", "displayName": "Bo"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(at))
        .and(query_param("$count", "true"))
        .and(header("consistencylevel", "eventual"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "@odata.count": 2,
            "value": [
                {"@odata.type": "#microsoft.graph.user", "displayName": "Al"}
            ],
            "@odata.nextLink": format!("{uri}{at}?$skiptoken=2")
        })))
        .expect(1)
        .mount(&server)
        .await;
    let names = group_users(&client(&server), "g1").await.unwrap();
    assert_eq!(names, ["Al", "Bo"]);
}

#[tokio::test]
async fn a_users_delta_resumes_from_its_stored_link() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta"))
        .and(query_param("$deltatoken", "first"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "3"}],
            "@odata.deltaLink": format!("{uri}/v1.0/users/delta?$deltatoken=second")
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "1"}, {"id": "2"}],
            "@odata.deltaLink": format!("{uri}/v1.0/users/delta?$deltatoken=first")
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let (count, stored) = users_delta(&client, None).await.unwrap();
    assert_eq!(count, 2);
    let (changed, next) = users_delta(&client, Some(&stored)).await.unwrap();
    assert_eq!(changed, 1);
    assert!(next.ends_with("$deltatoken=second"), "{next}");
    // A stored link to another host is refused, and nothing is sent there.
    let error = users_delta(&client, Some("https://elsewhere.example/v1.0/users/delta"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("another origin"), "{error}");
}

#[tokio::test]
async fn inbox_delta_selects_subjects() {
    let server = MockServer::start().await;
    let next = format!(
        "{}/v1.0/me/mailFolders/inbox/messages/delta?$skiptoken=p2",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/inbox/messages/delta"))
        .and(query_param("$select", "subject"))
        .and(header("prefer", "odata.maxpagesize=50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"subject": "Hi"}],
            "@odata.nextLink": next,
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/inbox/messages/delta"))
        .and(query_param("$skiptoken", "p2"))
        .and(header("prefer", "odata.maxpagesize=50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"subject": "Re: Hi"}],
            "@odata.deltaLink": "https://example.com/later",
        })))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        inbox_subjects(&client(&server)).await.unwrap(),
        ["Hi", "Re: Hi"]
    );
}

#[tokio::test]
async fn a_meeting_is_created_with_its_attendees() {
    let server = MockServer::start().await;
    let at =
        |time: &str| serde_json::json!({"dateTime": time, "timeZone": "Pacific Standard Time"});
    Mock::given(method("POST"))
        .and(path("/v1.0/me/events"))
        .and(header("authorization", "Bearer t0k3n"))
        .and(header(
            "prefer",
            r#"outlook.timezone="Pacific Standard Time""#,
        ))
        .and(body_json(serde_json::json!({
            "subject": "Planning",
            "start": at("2026-12-01T10:00:00"),
            "end": at("2026-12-01T11:00:00"),
            "attendees": [
                {"emailAddress": {"address": "ada@contoso.com"}, "type": "required"},
                {"emailAddress": {"address": "alan@contoso.com"}, "type": "required"},
            ],
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"id": "e1", "subject": "Planning"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let id = create_meeting(&client, &["ada@contoso.com", "alan@contoso.com"]).await;
    assert_eq!(id.unwrap(), "e1");
}

#[tokio::test]
async fn a_small_file_is_put_as_content() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/items/folder-1:/notes.txt:/content"))
        .and(header("authorization", "Bearer t0k3n"))
        .and(header("content-type", "text/plain"))
        .and(body_bytes(b"Buy milk.".to_vec()))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"id": "f1", "name": "notes.txt"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        upload_small_file(&client(&server), "folder-1")
            .await
            .unwrap(),
        "f1"
    );
}

/// OneDrive addresses a drive's item by its path below the root as well as by its id:
/// `root().path(..)` reaches the node `items().id(..)` does (one type, the same
/// methods), though the docs write this download only by id. The path keeps its `/`;
/// each of its segments is encoded.
#[tokio::test]
async fn a_file_by_its_path_is_the_item() {
    fn same_node<T>(_: &T, _: &T) {}
    let by_path = api()
        .drives()
        .id("d1")
        .root()
        .path("Shared Documents/notes.txt");
    same_node(&by_path, &api().drives().id("d1").items().id("f1"));
    let download = by_path.content().get();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/v1.0/drives/d1/root:/Shared%20Documents/notes.txt:/content",
        ))
        .and(header("authorization", "Bearer t0k3n"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"Buy milk.".to_vec()))
        .expect(1)
        .mount(&server)
        .await;
    let bytes = client(&server).send(download).await.unwrap();
    assert_eq!(bytes, b"Buy milk.");
}

/// The README shows these tasks as they are here, line for line.
#[test]
fn the_readme_shows_these_tasks() {
    let this = include_str!("finding_your_way.rs");
    let readme = include_str!("../../README.md");
    let here = readme_blocks::region(
        this,
        "// From here on, the tasks in the README.",
        "// The end of",
    );
    let shown = readme_blocks::region(readme, "<!-- finding-your-way -->\n```rust,no_run", "```");
    assert_eq!(shown.replace("\n\n", "\n"), here.replace("\n\n", "\n"));
}

/// Each area is a module of `types` as well (the docs show an area at a time), with
/// the same types as `types` itself.
#[test]
fn areas_are_modules_of_the_same_types() {
    let message: generated::types::outlook::Message = Message {
        subject: "Hi".to_owned().into(),
        ..Default::default()
    };
    let user = generated::types::users::User::default();
    assert_eq!(message.subject.get().map(String::as_str), Some("Hi"));
    assert_eq!(user, generated::types::User::default());
}
