mod common;

use journey_text::stopwords::StopWords;

/// The built-in English list is NLTK's: equal to the copy in shared/data.
#[test]
fn builtin_english_equals_nltk_file() {
    let Some(path) = common::data_file("lexicons/stopwords_nltk_english.txt") else {
        return;
    };
    let file = StopWords::from_file(&path).unwrap();
    let builtin = StopWords::builtin("english").unwrap();
    assert_eq!(file.sorted(), builtin.sorted());
    assert_eq!(file.len(), 198);
}

#[test]
fn missing_file_is_a_clear_error() {
    let err = StopWords::from_file(std::path::Path::new("/no/such/stopwords.txt"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/no/such/stopwords.txt"), "{err}");
}

/// scikit-learn's list is not NLTK's: it has "amoungst" and "bill", not "don't".
#[test]
fn sklearn_english_is_its_own_list() {
    let sk = StopWords::sklearn_english();
    assert_eq!(sk.len(), 318);
    assert!(sk.contains("amoungst") && sk.contains("bill") && sk.contains("the"));
    assert!(!sk.contains("don't") && !sk.contains("bible"));
    let nltk = StopWords::builtin("english").unwrap();
    assert!(nltk.contains("don't") && !nltk.contains("bill"));
}
