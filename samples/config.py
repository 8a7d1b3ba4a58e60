"""The ``nayose.yaml`` text that describes the sample's four sources."""

from __future__ import annotations

_TEMPLATE = """\
project: nayose-sample
sources:
  - name: crm
    path: {dir}/crm_*.csv
    format: csv
    encoding: utf-8-sig
    id: 顧客番号
    country: JP
    fields:
      family_name: 姓
      given_name: 名
      family_name_kana: セイ
      given_name_kana: メイ
      birth_date: 生年月日
      gender: "CASE 性別 WHEN '男' THEN 'M' WHEN '女' THEN 'F' END"
      email: メール
      phone: 電話番号
      postal_code: 郵便番号
      address_line: 住所
      updated_at: 更新日時
      consent_marketing_email: "CASE メール配信 WHEN '希望する' THEN 'true' WHEN '希望しない' THEN 'false' END"
  - name: store_pos
    path: {dir}/store_pos_*.csv
    format: csv
    encoding: cp932
    id: 会員番号
    country: JP
    fields:
      full_name: 氏名
      full_name_kana: 氏名カナ
      birth_date: 生年月日
      gender: "CASE 性別 WHEN '1' THEN 'M' WHEN '2' THEN 'F' END"
      email: メールアドレス
      phone: 電話番号
      postal_code: 郵便番号
      prefecture: 都道府県
      address_line: "concat_ws('', 都道府県, 市区町村, 番地)"
      building: 建物名
      updated_at: 最終来店日
  - name: ec_shop
    path: {dir}/ec_shop_*.jsonl
    format: jsonl
    encoding: utf-8
    id: member_id
    country: JP
    fields:
      full_name: name
      full_name_kana: name_kana
      birth_date: dob
      gender: "CASE gender WHEN 'male' THEN 'M' WHEN 'female' THEN 'F' END"
      email: email
      phone: tel
      postal_code: zip
      address_line: address
      updated_at: registered_at
      consent_marketing_email: marketing_opt_in
  - name: global_web
    path: {dir}/global_web_*.csv
    format: csv
    encoding: utf-8
    id: id
    country: US
    fields:
      given_name: first_name
      family_name: last_name
      birth_date: date_of_birth
      email: email
      phone: phone
      address_line: street
      city: city
      prefecture: state
      postal_code: postcode
      country: country
      updated_at: updated_at
"""


def sample_config_yaml(sample_dir_relative: str = "data/sample") -> str:
    """The ``nayose.yaml`` text for the sample exports found under ``sample_dir_relative`` (relative to the project)."""
    return _TEMPLATE.format(dir=sample_dir_relative.rstrip("/"))
